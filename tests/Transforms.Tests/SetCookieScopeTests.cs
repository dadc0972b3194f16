namespace FingerprintProxy.Transforms.Tests;

/// <summary>
/// Uses <see cref="PublicSuffixList.Default"/> only with hosts on which any correct Public Suffix List
/// agrees (<c>com</c>, <c>co.uk</c>, single labels), so these tests hold for the full list too.
/// </summary>
public class SetCookieScopeTests
{
    private static readonly PublicSuffixList Suffixes = PublicSuffixList.Default;

    [Theory]
    // Exact host, parent domain, leading dot, any case.
    [InlineData("_iidt=abc; Domain=www.example.com; Path=/", "www.example.com")]
    [InlineData("_iidt=abc; Domain=example.com; Path=/", "www.example.com")]
    [InlineData("_iidt=abc; Domain=.example.com; Path=/", "www.example.com")]
    [InlineData("_iidt=abc; Domain=EXAMPLE.COM; Path=/", "www.example.com")]
    [InlineData("_iidt=abc; domain=Example.Com; Path=/", "www.example.com")]
    [InlineData("_iidt=abc; DOMAIN=.example.com", "www.example.com")]
    [InlineData("_iidt=abc; Domain=example.com", "example.com")]
    [InlineData("_iidt=abc; Domain=example.com", "a.b.c.example.com")]
    [InlineData("_iidt=abc; Domain=c.example.com", "a.b.c.example.com")]
    [InlineData("_iidt=abc; Domain=example.co.uk", "shop.example.co.uk")]
    [InlineData("_iidt=abc; Domain=.shop.example.co.uk", "shop.example.co.uk")]
    // The viewer host in any case, with a trailing dot, or with surrounding spaces.
    [InlineData("_iidt=abc; Domain=example.com", "WWW.EXAMPLE.COM")]
    [InlineData("_iidt=abc; Domain=example.com", "www.example.com.")]
    [InlineData("_iidt=abc; Domain=example.com", " www.example.com ")]
    // Spacing inside the attribute.
    [InlineData("_iidt=abc;Domain=example.com;Path=/", "www.example.com")]
    [InlineData("_iidt=abc;   Domain =  example.com  ; Path=/", "www.example.com")]
    // An empty Domain is ignored by browsers: the cookie is host-only already.
    [InlineData("_iidt=abc; Domain=; Path=/", "www.example.com")]
    [InlineData("_iidt=abc; Domain; Path=/", "www.example.com")]
    [InlineData("_iidt=abc; Domain=.; Path=/", "www.example.com")]
    // Browsers use the last Domain attribute.
    [InlineData("_iidt=abc; Domain=fpjs.io; Domain=example.com", "www.example.com")]
    // No Domain attribute at all, including a cookie named or valued "domain".
    [InlineData("_iidt=abc; Path=/; Secure; HttpOnly; SameSite=Lax", "www.example.com")]
    [InlineData("_iidt=abc", "www.example.com")]
    [InlineData("domain=fpjs.io; Path=/", "www.example.com")]
    [InlineData("_iidt=Domain=fpjs.io; Path=/", "www.example.com")]
    [InlineData("_iidt=abc; Path=/domain=fpjs.io", "www.example.com")]
    [InlineData("_iidt=abc; X-Domain=fpjs.io", "www.example.com")]
    [InlineData("", "www.example.com")]
    // An IP host with a Domain equal to itself.
    [InlineData("_iidt=abc; Domain=192.0.2.10; Path=/", "192.0.2.10")]
    public void Rescope_AcceptableDomain_ReturnsSameInstance(string setCookie, string host)
    {
        Assert.Same(setCookie, SetCookieScope.Rescope(setCookie, host, Suffixes));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    public void Rescope_NoViewerHost_ReturnsSameInstance(string? host)
    {
        const string setCookie = "_iidt=abc; Domain=fpjs.io; Path=/";

        Assert.Same(setCookie, SetCookieScope.Rescope(setCookie, host, Suffixes));
    }

    [Theory]
    // Another site: the browser would drop the cookie; it goes to the viewer's registrable domain.
    [InlineData("_iidt=abc; Domain=fpjs.io; Path=/", "www.example.com", "_iidt=abc; Domain=example.com; Path=/")]
    [InlineData("_iidt=abc; Domain=.fpjs.io; Path=/", "www.example.com", "_iidt=abc; Domain=example.com; Path=/")]
    [InlineData("_iidt=abc; domain=fpjs.io", "www.example.com", "_iidt=abc; Domain=example.com")]
    [InlineData("_iidt=abc; Domain=fpjs.io", "example.com", "_iidt=abc; Domain=example.com")]
    [InlineData("_iidt=abc; Domain=fpjs.io", "a.b.c.example.com", "_iidt=abc; Domain=example.com")]
    [InlineData("_iidt=abc; Domain=example.com.evil.com", "www.example.com", "_iidt=abc; Domain=example.com")]
    [InlineData("_iidt=abc; Domain=example.com", "www.example.com.evil.com", "_iidt=abc; Domain=evil.com")]
    // Suffix-only or sibling matches do not domain-match.
    [InlineData("_iidt=abc; Domain=ample.com", "www.example.com", "_iidt=abc; Domain=example.com")]
    [InlineData("_iidt=abc; Domain=shop.example.com", "www.example.com", "_iidt=abc; Domain=example.com")]
    [InlineData("_iidt=abc; Domain=a.www.example.com", "www.example.com", "_iidt=abc; Domain=example.com")]
    // A public suffix as Domain.
    [InlineData("_iidt=abc; Domain=com; Path=/", "www.example.com", "_iidt=abc; Domain=example.com; Path=/")]
    [InlineData("_iidt=abc; Domain=.com; Path=/", "www.example.com", "_iidt=abc; Domain=example.com; Path=/")]
    [InlineData("_iidt=abc; Domain=co.uk; Path=/", "shop.example.co.uk", "_iidt=abc; Domain=example.co.uk; Path=/")]
    [InlineData("_iidt=abc; Domain=other.co.uk; Path=/", "shop.example.co.uk", "_iidt=abc; Domain=example.co.uk; Path=/")]
    [InlineData("_iidt=abc; Domain=uk; Path=/", "shop.example.co.uk", "_iidt=abc; Domain=example.co.uk; Path=/")]
    // Host given in upper case: the replacement is the normalised registrable domain.
    [InlineData("_iidt=abc; Domain=fpjs.io", "WWW.Example.COM", "_iidt=abc; Domain=example.com")]
    // Only the Domain attribute's text changes; spacing around it is kept.
    [InlineData("_iidt=abc;Domain=fpjs.io;Path=/", "www.example.com", "_iidt=abc;Domain=example.com;Path=/")]
    [InlineData("_iidt=abc;   Domain = fpjs.io ; Path=/", "www.example.com", "_iidt=abc;   Domain=example.com; Path=/")]
    // Every Domain attribute goes when the last one is refused.
    [InlineData("_iidt=abc; Domain=example.com; Domain=fpjs.io", "www.example.com", "_iidt=abc; Domain=example.com; Domain=example.com")]
    public void Rescope_ForeignDomain_RescopesToRegistrableDomain(string setCookie, string host, string expected)
    {
        Assert.Equal(expected, SetCookieScope.Rescope(setCookie, host, Suffixes));
    }

    [Theory]
    [InlineData("_iidt=abc; Domain=example.com; Path=/", "192.0.2.10", "_iidt=abc; Path=/")]
    [InlineData("_iidt=abc; Path=/; Domain=example.com", "192.0.2.10", "_iidt=abc; Path=/")]
    [InlineData("_iidt=abc; Path=/; Domain=example.com; Secure", "192.0.2.10", "_iidt=abc; Path=/; Secure")]
    [InlineData("_iidt=abc;Domain=example.com;Secure", "192.0.2.10", "_iidt=abc;Secure")]
    [InlineData("_iidt=abc; Domain=192.0.2.1; Path=/", "192.0.2.10", "_iidt=abc; Path=/")]
    [InlineData("_iidt=abc; Domain=0.2.10; Path=/", "192.0.2.10", "_iidt=abc; Path=/")]
    [InlineData("_iidt=abc; Domain=example.com; Path=/", "2001:db8::1", "_iidt=abc; Path=/")]
    [InlineData("_iidt=abc; Domain=example.com; Path=/", "[2001:db8::1]", "_iidt=abc; Path=/")]
    [InlineData("_iidt=abc; Domain=example.com; Path=/", "::1", "_iidt=abc; Path=/")]
    [InlineData("_iidt=abc; Domain=example.com; Path=/", "127.0.0.1", "_iidt=abc; Path=/")]
    // A viewer host that is itself a public suffix (single label) has no registrable domain.
    [InlineData("_iidt=abc; Domain=example.com; Path=/", "localhost", "_iidt=abc; Path=/")]
    [InlineData("_iidt=abc; Domain=fpjs.io; Domain=example.com; Path=/; Domain=x.io", "192.0.2.10", "_iidt=abc; Path=/")]
    public void Rescope_ViewerHostWithoutRegistrableDomain_RemovesDomain(string setCookie, string host, string expected)
    {
        Assert.Equal(expected, SetCookieScope.Rescope(setCookie, host, Suffixes));
    }

    [Theory]
    [InlineData("www.example.com", "_iidt=v1.AbC/+=; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=example.com; Max-Age=31536000; Path=/; Secure; HttpOnly; SameSite=Lax; Partitioned")]
    [InlineData("www.example.com", "_iidt=\"quoted, value\"; expires=Thu, 01 Jan 2037 00:00:00 GMT; max-age=0; path=/a;b; domain=.Example.com; samesite=none; secure")]
    public void Rescope_AcceptableDomain_KeepsEveryAttribute(string host, string setCookie)
    {
        Assert.Same(setCookie, SetCookieScope.Rescope(setCookie, host, Suffixes));
    }

    [Theory]
    [InlineData(
        "www.example.com",
        "_iidt=v1.AbC/+=; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=fpjs.io; Max-Age=31536000; Path=/; Secure; HttpOnly; SameSite=None; Partitioned",
        "_iidt=v1.AbC/+=; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=example.com; Max-Age=31536000; Path=/; Secure; HttpOnly; SameSite=None; Partitioned")]
    [InlineData(
        "203.0.113.7",
        "_iidt=v1.AbC/+=; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=fpjs.io; Max-Age=31536000; Path=/; Secure; HttpOnly; SameSite=None",
        "_iidt=v1.AbC/+=; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=31536000; Path=/; Secure; HttpOnly; SameSite=None")]
    [InlineData(
        "2001:db8::7",
        "_iidt=x; expires=Thu, 01-Jan-2037 00:00:00 GMT;  domain=.fpjs.io;max-age=10;secure",
        "_iidt=x; expires=Thu, 01-Jan-2037 00:00:00 GMT;max-age=10;secure")]
    public void Rescope_ForeignDomain_KeepsOtherAttributesByteForByte(string host, string setCookie, string expected)
    {
        Assert.Equal(expected, SetCookieScope.Rescope(setCookie, host, Suffixes));
    }

    [Theory]
    [InlineData("example.com", "www.example.com", true)]
    [InlineData(".example.com", "www.example.com", true)]
    [InlineData(" Example.COM ", "www.example.com", true)]
    [InlineData("www.example.com", "www.example.com", true)]
    [InlineData("", "www.example.com", true)]
    [InlineData("com", "www.example.com", false)]
    [InlineData("co.uk", "shop.example.co.uk", false)]
    [InlineData("fpjs.io", "www.example.com", false)]
    [InlineData("ample.com", "www.example.com", false)]
    [InlineData("a.www.example.com", "www.example.com", false)]
    [InlineData("example.com", "192.0.2.10", false)]
    [InlineData("192.0.2.10", "192.0.2.10", true)]
    [InlineData("2.10", "192.0.2.10", false)]
    public void IsAcceptable_DomainForHost_FollowsRfc6265DomainMatch(string domain, string host, bool expected)
    {
        Assert.Equal(expected, SetCookieScope.IsAcceptable(domain, host, Suffixes));
    }

    [Theory]
    [InlineData("www.example.com", "www.example.com")]
    [InlineData("WWW.Example.Com", "www.example.com")]
    [InlineData("www.example.com.", "www.example.com")]
    [InlineData(" www.example.com ", "www.example.com")]
    [InlineData("[2001:DB8::1]", "2001:db8::1")]
    [InlineData("192.0.2.10", "192.0.2.10")]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(".", null)]
    [InlineData("[]", null)]
    public void NormalizeHost_Host_IsLowerCaseWithoutDotOrBrackets(string? host, string? expected)
    {
        Assert.Equal(expected, SetCookieScope.NormalizeHost(host));
    }

    [Fact]
    public void Rescope_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => SetCookieScope.Rescope(null!, "www.example.com", Suffixes));
        Assert.Throws<ArgumentNullException>(() => SetCookieScope.Rescope("a=b", "www.example.com", null!));
    }
}
