namespace FingerprintProxy.Transforms.Tests.PublicSuffix;

public sealed class PublicSuffixListTests
{
    // A list small enough to read, to test the algorithm independently of the shipped data.
    private const string HandWrittenList = """
        // Comments, blank lines and everything after a rule's first token are ignored.

        test
          co.test   this text is not part of the rule
        // A wildcard with an exception and a longer rule under the exception.
        *.kobe.test
        !city.kobe.test
        x.city.kobe.test
        // A wildcard with a longer normal rule under it.
        *.wild.test
        deep.sub.wild.test
        // A deep rule whose parent suffixes are not rules themselves.
        a.b.c.test
        // Unicode rule, stored as punycode (xn--55qx5d.cn).
        公司.cn
        cn
        UPPER.TEST
        """;

    private static readonly PublicSuffixList HandWritten = PublicSuffixList.Parse(new StringReader(HandWrittenList));

    [Theory]
    // Plain suffixes and a suffix with two labels.
    [InlineData("example.com", "example.com")]
    [InlineData("www.example.com", "example.com")]
    [InlineData("com", null)]
    [InlineData("www.example.co.uk", "example.co.uk")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("co.uk", null)]
    [InlineData("uk", null)]
    // PRIVATE section: counts, as in browsers.
    [InlineData("user.github.io", "user.github.io")]
    [InlineData("www.user.github.io", "user.github.io")]
    [InlineData("github.io", null)]
    [InlineData("mybucket.s3.amazonaws.com", "mybucket.s3.amazonaws.com")]
    [InlineData("s3.amazonaws.com", null)]
    // Private wildcard *.compute.amazonaws.com; amazonaws.com is not a rule.
    [InlineData("ec2-1-2-3-4.eu-west-1.compute.amazonaws.com", "ec2-1-2-3-4.eu-west-1.compute.amazonaws.com")]
    [InlineData("www.ec2-1-2-3-4.eu-west-1.compute.amazonaws.com", "ec2-1-2-3-4.eu-west-1.compute.amazonaws.com")]
    [InlineData("eu-west-1.compute.amazonaws.com", null)]
    [InlineData("compute.amazonaws.com", null)]
    [InlineData("www.amazonaws.com", "amazonaws.com")]
    // Rules newer than the 2023 snapshot the list replaced. ICANN: bd went from the wildcard *.bd to
    // bd and a list of second-level suffixes, so a name directly under bd is registrable now.
    [InlineData("www.example.bd", "example.bd")]
    [InlineData("www.university.ac.bd", "university.ac.bd")]
    [InlineData("ac.bd", null)]
    // PRIVATE: aem.live (Adobe Experience Manager sites).
    [InlineData("main--site--org.aem.live", "main--site--org.aem.live")]
    [InlineData("aem.live", null)]
    // Wildcard *.ck with exception !www.ck.
    [InlineData("ck", null)]
    [InlineData("bar.ck", null)]
    [InlineData("foo.bar.ck", "foo.bar.ck")]
    [InlineData("www.foo.bar.ck", "foo.bar.ck")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("a.www.ck", "www.ck")]
    // Wildcard *.kawasaki.jp with exception !city.kawasaki.jp.
    [InlineData("city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("www.city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("foo.kawasaki.jp", null)]
    [InlineData("a.foo.kawasaki.jp", "a.foo.kawasaki.jp")]
    // As in browsers, *.kawasaki.jp makes kawasaki.jp a public suffix too (the wiki's algorithm alone
    // would make it registrable, and Chromium would then drop a cookie scoped to it).
    [InlineData("kawasaki.jp", null)]
    // IP addresses.
    [InlineData("127.0.0.1", null)]
    [InlineData("192.168.1.10.", null)]
    [InlineData("0x7f.1", null)]
    [InlineData("example.0x1F", null)]
    [InlineData("::1", null)]
    [InlineData("[::1]", null)]
    [InlineData("2001:db8::1", null)]
    [InlineData("[2001:db8::1]", null)]
    [InlineData("::ffff:192.168.0.1", null)]
    // Upper case.
    [InlineData("WWW.EXAMPLE.CO.UK", "example.co.uk")]
    [InlineData("User.GitHub.IO", "user.github.io")]
    [InlineData("CO.UK", null)]
    [InlineData("WWW.Example.CO.UK.", "example.co.uk")]
    // One trailing dot is ignored, two are an empty label.
    [InlineData("www.example.co.uk.", "example.co.uk")]
    [InlineData("example.com.", "example.com")]
    [InlineData("co.uk.", null)]
    [InlineData("example.com..", null)]
    [InlineData(".", null)]
    // Unknown TLD: default rule *.
    [InlineData("example.unknowntld", "example.unknowntld")]
    [InlineData("www.example.unknowntld", "example.unknowntld")]
    [InlineData("unknowntld", null)]
    // Single label: a public suffix by the default rule.
    [InlineData("localhost", null)]
    [InlineData("LOCALHOST.", null)]
    // Empty host and empty labels.
    [InlineData("", null)]
    [InlineData("a..b.com", null)]
    [InlineData(".example.com", null)]
    // Not host names: a port, a path, spaces, a wildcard.
    [InlineData("example.com:443", null)]
    [InlineData("example.com/path", null)]
    [InlineData("exa mple.com", null)]
    [InlineData("*.ck", null)]
    // Punycode and Unicode: results are punycode.
    [InlineData("www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("WWW.XN--85X722F.XN--FIQS8S.", "xn--85x722f.xn--fiqs8s")]
    [InlineData("xn--fiqs8s", null)]
    [InlineData("www.食狮.中国", "xn--85x722f.xn--fiqs8s")]
    [InlineData("www.食狮。中国", "xn--85x722f.xn--fiqs8s")]
    [InlineData("MÜNCHEN.de", "xn--mnchen-3ya.de")]
    [InlineData("www.食狮..中国", null)]
    public void GetRegistrableDomain_DefaultList_ReturnsExpected(string host, string? expected)
    {
        Assert.Equal(expected, PublicSuffixList.Default.GetRegistrableDomain(host));
    }

    // The publicsuffix project's test vectors (tests/test_psl.txt, public domain), ASCII cases:
    // checkPublicSuffix(host, registrableDomain). The "null input" case is
    // GetRegistrableDomain_NullHost_Throws; the commented-out ".local" cases are left out as upstream does.
    [Theory]
    [InlineData("COM", null)]
    [InlineData("example.COM", "example.com")]
    [InlineData("WwW.example.COM", "example.com")]
    [InlineData(".com", null)]
    [InlineData(".example", null)]
    [InlineData(".example.com", null)]
    [InlineData(".example.example", null)]
    [InlineData("example", null)]
    [InlineData("example.example", "example.example")]
    [InlineData("b.example.example", "example.example")]
    [InlineData("a.b.example.example", "example.example")]
    [InlineData("biz", null)]
    [InlineData("domain.biz", "domain.biz")]
    [InlineData("b.domain.biz", "domain.biz")]
    [InlineData("a.b.domain.biz", "domain.biz")]
    [InlineData("com", null)]
    [InlineData("example.com", "example.com")]
    [InlineData("b.example.com", "example.com")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("uk.com", null)]
    [InlineData("example.uk.com", "example.uk.com")]
    [InlineData("b.example.uk.com", "example.uk.com")]
    [InlineData("a.b.example.uk.com", "example.uk.com")]
    [InlineData("test.ac", "test.ac")]
    [InlineData("mm", null)]
    [InlineData("c.mm", null)]
    [InlineData("b.c.mm", "b.c.mm")]
    [InlineData("a.b.c.mm", "b.c.mm")]
    [InlineData("jp", null)]
    [InlineData("test.jp", "test.jp")]
    [InlineData("www.test.jp", "test.jp")]
    [InlineData("ac.jp", null)]
    [InlineData("test.ac.jp", "test.ac.jp")]
    [InlineData("www.test.ac.jp", "test.ac.jp")]
    [InlineData("kyoto.jp", null)]
    [InlineData("test.kyoto.jp", "test.kyoto.jp")]
    [InlineData("ide.kyoto.jp", null)]
    [InlineData("b.ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("a.b.ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("c.kobe.jp", null)]
    [InlineData("b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("a.b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("city.kobe.jp", "city.kobe.jp")]
    [InlineData("www.city.kobe.jp", "city.kobe.jp")]
    [InlineData("ck", null)]
    [InlineData("test.ck", null)]
    [InlineData("b.test.ck", "b.test.ck")]
    [InlineData("a.b.test.ck", "b.test.ck")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("www.www.ck", "www.ck")]
    [InlineData("us", null)]
    [InlineData("test.us", "test.us")]
    [InlineData("www.test.us", "test.us")]
    [InlineData("ak.us", null)]
    [InlineData("test.ak.us", "test.ak.us")]
    [InlineData("www.test.ak.us", "test.ak.us")]
    [InlineData("k12.ak.us", null)]
    [InlineData("test.k12.ak.us", "test.k12.ak.us")]
    [InlineData("www.test.k12.ak.us", "test.k12.ak.us")]
    [InlineData("xn--85x722f.com.cn", "xn--85x722f.com.cn")]
    [InlineData("xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("shishi.xn--55qx5d.cn", "shishi.xn--55qx5d.cn")]
    [InlineData("xn--55qx5d.cn", null)]
    [InlineData("xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("shishi.xn--fiqs8s", "shishi.xn--fiqs8s")]
    [InlineData("xn--fiqs8s", null)]
    public void GetRegistrableDomain_OfficialTestVector_MatchesTestPsl(string host, string? expected)
    {
        Assert.Equal(expected, PublicSuffixList.Default.GetRegistrableDomain(host));
    }

    // The IDN cases of test_psl.txt. Upstream expects the result in the input's (Unicode) form; this
    // list returns punycode, so the expected value is upstream's, punycoded (test_psl.txt pairs each
    // Unicode case with its punycode twin, which gives these values).
    [Theory]
    [InlineData("食狮.com.cn", "xn--85x722f.com.cn")]
    [InlineData("食狮.公司.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.食狮.公司.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("shishi.公司.cn", "shishi.xn--55qx5d.cn")]
    [InlineData("公司.cn", null)]
    [InlineData("食狮.中国", "xn--85x722f.xn--fiqs8s")]
    [InlineData("www.食狮.中国", "xn--85x722f.xn--fiqs8s")]
    [InlineData("shishi.中国", "shishi.xn--fiqs8s")]
    [InlineData("中国", null)]
    public void GetRegistrableDomain_OfficialUnicodeTestVector_ReturnsPunycodeOfTestPsl(string host, string? expected)
    {
        Assert.Equal(expected, PublicSuffixList.Default.GetRegistrableDomain(host));
    }

    [Theory]
    [InlineData("com", true)]
    [InlineData("co.uk", true)]
    [InlineData("CO.UK.", true)]
    [InlineData("github.io", true)]
    [InlineData("eu-west-1.compute.amazonaws.com", true)]
    [InlineData("ck", true)]
    [InlineData("bar.ck", true)]
    [InlineData("foo.kawasaki.jp", true)]
    [InlineData("localhost", true)]
    [InlineData("unknowntld", true)]
    [InlineData("xn--fiqs8s", true)]
    [InlineData("中国", true)]
    [InlineData("公司.cn", true)]
    [InlineData("example.com", false)]
    [InlineData("www.example.co.uk", false)]
    [InlineData("user.github.io", false)]
    [InlineData("www.ck", false)]
    [InlineData("city.kawasaki.jp", false)]
    [InlineData("compute.amazonaws.com", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("[::1]", false)]
    [InlineData("::1", false)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("co..uk", false)]
    public void IsPublicSuffix_DefaultList_ReturnsExpected(string host, bool expected)
    {
        Assert.Equal(expected, PublicSuffixList.Default.IsPublicSuffix(host));
    }

    [Theory]
    // Normal rules; the text after the first token of "co.test" is ignored.
    [InlineData("test", null)]
    [InlineData("example.test", "example.test")]
    [InlineData("co.test", null)]
    [InlineData("www.example.co.test", "example.co.test")]
    // Wildcard with exception: the exception prevails over the longer x.city.kobe.test.
    [InlineData("any.kobe.test", null)]
    [InlineData("www.any.kobe.test", "www.any.kobe.test")]
    [InlineData("city.kobe.test", "city.kobe.test")]
    [InlineData("y.x.city.kobe.test", "city.kobe.test")]
    // The wildcard makes its base a public suffix too.
    [InlineData("kobe.test", null)]
    [InlineData("wild.test", null)]
    [InlineData("www.wild.test", null)]
    // Most labels wins between a wildcard match and a longer normal rule.
    [InlineData("a.sub.wild.test", "a.sub.wild.test")]
    [InlineData("a.deep.sub.wild.test", "a.deep.sub.wild.test")]
    [InlineData("deep.sub.wild.test", null)]
    // A deep rule whose parents are not rules: they fall back to the longest rule that matches.
    [InlineData("x.a.b.c.test", "x.a.b.c.test")]
    [InlineData("a.b.c.test", null)]
    [InlineData("x.b.c.test", "c.test")]
    [InlineData("b.c.test", "c.test")]
    // Unicode rule, Unicode or punycode host.
    [InlineData("shop.公司.cn", "shop.xn--55qx5d.cn")]
    [InlineData("www.shop.xn--55qx5d.cn", "shop.xn--55qx5d.cn")]
    [InlineData("xn--55qx5d.cn", null)]
    // Rules are case-insensitive.
    [InlineData("www.upper.test", "www.upper.test")]
    // Not in the list at all: default rule.
    [InlineData("www.example.other", "example.other")]
    [InlineData("other", null)]
    public void GetRegistrableDomain_HandWrittenList_FollowsAlgorithm(string host, string? expected)
    {
        Assert.Equal(expected, HandWritten.GetRegistrableDomain(host));
    }

    [Fact]
    public void Parse_HandWrittenList_CountsRulesNotCommentsOrBlankLines()
    {
        Assert.Equal(11, HandWritten.RuleCount);
    }

    [Fact]
    public void Parse_EmptyList_AppliesOnlyTheDefaultRule()
    {
        var list = PublicSuffixList.Parse(new StringReader(""));

        Assert.Equal(0, list.RuleCount);
        Assert.Equal("co.uk", list.GetRegistrableDomain("www.example.co.uk"));
        Assert.True(list.IsPublicSuffix("uk"));
    }

    [Theory]
    [InlineData("a.*.example")]
    [InlineData("*example")]
    [InlineData("**.example")]
    [InlineData("!example")]
    [InlineData("!*.example")]
    [InlineData("example..com")]
    [InlineData(".example")]
    [InlineData("example.")]
    [InlineData("*.")]
    [InlineData("!")]
    [InlineData("exa:mple")]
    public void Parse_InvalidRule_ThrowsFormatExceptionNamingTheLine(string rule)
    {
        var exception = Assert.Throws<FormatException>(
            () => PublicSuffixList.Parse(new StringReader($"// first line\ncom\n{rule}\n")));

        Assert.Contains("Line 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullReader_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => PublicSuffixList.Parse(null!));
    }

    [Fact]
    public void GetRegistrableDomain_NullHost_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => PublicSuffixList.Default.GetRegistrableDomain(null!));
        Assert.Throws<ArgumentNullException>(() => PublicSuffixList.Default.IsPublicSuffix(null!));
    }

    [Fact]
    public void Default_LoadsTheEmbeddedList()
    {
        var list = PublicSuffixList.Default;

        Assert.Same(list, PublicSuffixList.Default);
        Assert.True(list.RuleCount > 5000, $"only {list.RuleCount} rules");
        Assert.True(list.IsPublicSuffix("co.uk"));
        Assert.True(list.IsPublicSuffix("github.io"));
    }

    [Fact]
    public void Default_HoldsTheSameRulesAsTheFileReadAsText()
    {
        // Default parses the embedded bytes line by line; the TextReader parse of the same file is the
        // reference. Every rule's own name, a name under it and its parent must come out the same.
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(
            "FingerprintProxy.Transforms.PublicSuffix.public_suffix_list.dat")!;
        var text = new StreamReader(stream).ReadToEnd();
        var reference = PublicSuffixList.Parse(new StringReader(text));
        var hosts = text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal) && line != "*")
            .Select(line => line.TrimStart('!').Replace("*.", "", StringComparison.Ordinal))
            .SelectMany(name => new[] { name, "x." + name, "a.b." + name, name[(name.IndexOf('.') + 1)..] })
            .ToList();

        Assert.Equal(reference.RuleCount, PublicSuffixList.Default.RuleCount);
        Assert.True(hosts.Count > 40000, $"only {hosts.Count} hosts");
        foreach (var host in hosts)
        {
            Assert.Equal(reference.GetRegistrableDomain(host), PublicSuffixList.Default.GetRegistrableDomain(host));
            Assert.Equal(reference.IsPublicSuffix(host), PublicSuffixList.Default.IsPublicSuffix(host));
        }
    }

    [Theory]
    [InlineData("com\nCO.UK\n", "www.example.co.uk", "example.co.uk")]
    [InlineData("com\r\nco.uk\r\n", "www.example.co.uk", "example.co.uk")]
    [InlineData("com\rco.uk", "www.example.co.uk", "example.co.uk")]
    [InlineData("  co.uk   trailing words\n// comment\n\n", "www.example.co.uk", "example.co.uk")]
    [InlineData("// \u00e9t\u00e9\n\u0440\u0444\n", "a.b.xn--p1ai", "b.xn--p1ai")]
    [InlineData("*.CK\n!WWW.ck\n", "a.b.ck", "a.b.ck")]
    public void Parse_Utf8_ReadsLinesLikeTheTextReader(string list, string host, string expected)
    {
        var fromBytes = PublicSuffixList.ParseUtf8(System.Text.Encoding.UTF8.GetBytes(list));
        var fromText = PublicSuffixList.Parse(new StringReader(list));

        Assert.Equal(fromText.RuleCount, fromBytes.RuleCount);
        Assert.Equal(expected, fromText.GetRegistrableDomain(host));
        Assert.Equal(expected, fromBytes.GetRegistrableDomain(host));
    }

    [Fact]
    public void Parse_Utf8_InvalidRule_ThrowsFormatExceptionNamingTheLine()
    {
        var exception = Assert.Throws<FormatException>(
            () => PublicSuffixList.ParseUtf8("// first line\r\ncom\r\nexa:mple\r\n"u8.ToArray()));

        Assert.Contains("Line 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Utf8_InvalidRuleUnderAValidTopLevelLabel_FailsTheFirstLookupUnderThatLabel_NamingTheLine()
    {
        var list = PublicSuffixList.ParseUtf8("com\n// comment\na.*.example\n"u8.ToArray());

        Assert.Equal("example.com", list.GetRegistrableDomain("www.example.com"));
        var exception = Assert.Throws<FormatException>(() => list.GetRegistrableDomain("www.b.example"));
        Assert.Contains("Line 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Utf8_ConcurrentFirstLookupsUnderOneLabel_AllSeeItsRules()
    {
        var list = PublicSuffixList.ParseUtf8("uk\nco.uk\n*.sch.uk\n!www.sch.uk\n"u8.ToArray());
        var results = new (string?, string?, string?)[8];
        // Threads of their own, released together, so that the first lookups under "uk" overlap.
        using var start = new Barrier(results.Length);
        var threads = Enumerable.Range(0, results.Length).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = (list.GetRegistrableDomain("a.example.co.uk"), list.GetRegistrableDomain("a.b.x.sch.uk"), list.GetRegistrableDomain("a.www.sch.uk"));
        })).ToList();

        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.All(results, result => Assert.Equal(("example.co.uk", "b.x.sch.uk", "www.sch.uk"), result));
    }

    [Fact]
    public void Parse_Utf8_HostUnderALabelTheListLacks_GetsTheDefaultRule()
    {
        var list = PublicSuffixList.ParseUtf8("com\nco.uk\n"u8.ToArray());

        Assert.Equal("example.test", list.GetRegistrableDomain("www.example.test"));
        Assert.True(list.IsPublicSuffix("test"));
        Assert.Equal("example.co.uk", list.GetRegistrableDomain("a.example.co.uk"));
    }

    [Fact]
    public void GetRegistrableDomain_NormalizedHostThatIsRegistrable_ReturnsSameInstance()
    {
        var host = string.Concat("example.", "co.uk");

        Assert.Same(host, PublicSuffixList.Default.GetRegistrableDomain(host));
    }

    [Fact]
    public void Lookups_LowerCaseAsciiHost_DoNotAllocate()
    {
        var list = PublicSuffixList.Default;
        const string host = "www.a.b.example.co.uk";
        const string registrable = "example.co.uk";
        list.IsPublicSuffix(host);
        list.GetRegistrableDomain(registrable);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            list.IsPublicSuffix(host);
            list.GetRegistrableDomain(registrable);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
