using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FingerprintProxy.Transforms;

/// <summary>
/// The Public Suffix List (<see href="https://publicsuffix.org/"/>): finds whether a host name is a
/// public suffix and what its registrable domain (eTLD+1) is, with the list's algorithm
/// (<see href="https://github.com/publicsuffix/list/wiki/Format#algorithm"/>).
/// </summary>
/// <remarks>
/// Rules from both the ICANN and the PRIVATE sections of the list apply, as they do in browsers
/// deciding which <c>Domain</c> a cookie may have. As in browsers, a wildcard rule <c>*.foo</c> also
/// makes <c>foo</c> itself a public suffix. Host names and rules are compared in their ASCII
/// (punycode) form in lower case, and results are returned in that form. An instance is immutable
/// and may be used from any number of threads.
/// <para>
/// Unicode host names are lower-cased and converted with <see cref="IdnMapping"/>. Under invariant
/// globalization (as this project runs) that conversion does no other UTS #46 mapping or Unicode
/// normalisation, so Unicode input must already be in NFC without full-width or compatibility
/// characters to match. Host names from HTTP requests are ASCII, and need none of this.
/// </para>
/// </remarks>
public sealed class PublicSuffixList
{
    private const string ResourceName = "FingerprintProxy.Transforms.PublicSuffix.public_suffix_list.dat";

    // Lazy<T>'s default mode (ExecutionAndPublication) indexes the list once even under concurrent first use.
    private static readonly Lazy<PublicSuffixList> _default = new(LoadDefault);

    // Characters an ASCII host name may hold once lower-cased; '_' is not valid in DNS host names but
    // occurs in real ones and browsers accept it.
    private static readonly SearchValues<char> _hostNameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_.");

    // SearchValues rather than the generic ContainsAny*InRange helpers: those allocate until the JIT
    // has optimised them, which shows on a per-request path.
    private static readonly SearchValues<char> _upperCaseLetters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static readonly SearchValues<char> _digits = SearchValues.Create("0123456789");
    private static readonly SearchValues<char> _hexDigits = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> _whiteSpace = SearchValues.Create(" \t\r\n\f\v");

    // Every rule (a list from Parse), or null when the rules are read per top-level label as first
    // needed (the embedded list, from ParseUtf8).
    private readonly RuleSet? _allRules;
    private readonly TopLevelIndex? _byTopLevel;

    private PublicSuffixList(RuleSet allRules, int ruleCount)
    {
        _allRules = allRules;
        RuleCount = ruleCount;
    }

    private PublicSuffixList(TopLevelIndex byTopLevel)
    {
        _byTopLevel = byTopLevel;
        RuleCount = byTopLevel.RuleCount;
    }

    /// <summary>
    /// Gets the list shipped with this assembly (a snapshot embedded as a resource; see
    /// <c>PublicSuffix/README.md</c> for its date and source). It is indexed on first use, once, and
    /// the rules under each top-level label are parsed on the first lookup under that label.
    /// </summary>
    public static PublicSuffixList Default => _default.Value;

    /// <summary>Gets the number of rules read from the list (a <c>*</c> line, which only restates the default rule, counts too).</summary>
    internal int RuleCount { get; }

    [Flags]
    private enum RuleKinds : byte
    {
        // Only the right-hand part of a longer rule: a lookup that misses this suffix can stop,
        // since no rule ends with it.
        None = 0,

        // "example": the suffix itself is a rule.
        Normal = 1,

        // "*.example": every one-label extension of the suffix is a public suffix (set with Normal).
        Wildcard = 2,

        // "!www.example": the suffix is not public, its parent is.
        Exception = 4,
    }

    /// <summary>
    /// Parses a list in the Public Suffix List format: one rule per line, of which only the first
    /// whitespace-delimited token counts; lines starting with <c>//</c> and blank lines are ignored;
    /// <c>*.</c> starts a wildcard rule and <c>!</c> an exception rule. Unicode rules are converted
    /// to punycode.
    /// </summary>
    /// <param name="reader">The list text.</param>
    /// <returns>The parsed list.</returns>
    /// <exception cref="FormatException">
    /// A rule is not a domain name, has a wildcard other than a leading <c>*.</c> label, or is a
    /// one-label exception rule.
    /// </exception>
    public static PublicSuffixList Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);

        // A whole list's ASCII rules take about 130,000 characters: two or three blocks.
        var builder = new Builder(capacity: 0, characters: 64 * 1024);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            builder.AddLine(line, ++lineNumber);
        }

        return new(builder.ToRuleSet(), builder.RuleCount);
    }

    /// <summary>
    /// Reads UTF-8 list text for the embedded list, whose first use is on the cold-start path: one pass
    /// over the bytes files each rule line under its top-level label (<c>uk</c> for <c>co.uk</c>), and a
    /// label's rules are parsed the first time a host under it is looked up. A host name has a single
    /// top-level label, so a process reads the few hundred rules of the labels its sites use, not all
    /// 10,000. A top-level label that is not a valid name fails this pass; any other error in a rule
    /// fails the first lookup under its label, naming its line as <see cref="Parse(TextReader)"/> does.
    /// </summary>
    internal static PublicSuffixList ParseUtf8(ReadOnlyMemory<byte> utf8) => new(new TopLevelIndex(utf8));

    /// <summary>
    /// Returns whether <paramref name="host"/> is a public suffix: a name under which anyone can
    /// register names (<c>com</c>, <c>co.uk</c>, <c>github.io</c>), including any single-label name
    /// (the default rule <c>*</c>).
    /// </summary>
    /// <param name="host">
    /// A host name without port, in any case, Unicode or punycode, with or without one trailing dot.
    /// </param>
    /// <returns>
    /// <see langword="true"/> if the host is a public suffix; <see langword="false"/> if it is not, or
    /// if it is an IP address, empty, or not a valid host name.
    /// </returns>
    public bool IsPublicSuffix(string host)
    {
        ArgumentNullException.ThrowIfNull(host);

        return TryNormalize(host, out var name, out var length)
            && FindPublicSuffixStart(name.AsSpan(0, length)) == 0;
    }

    /// <summary>
    /// Returns the registrable domain (eTLD+1) of <paramref name="host"/>: its public suffix and one
    /// more label, the widest <c>Domain</c> a browser accepts on a cookie set for that host
    /// (<c>www.example.co.uk</c> gives <c>example.co.uk</c>).
    /// </summary>
    /// <param name="host">
    /// A host name without port, in any case, Unicode or punycode, with or without one trailing dot.
    /// </param>
    /// <returns>
    /// The registrable domain in lower case, in punycode, without a trailing dot; or
    /// <see langword="null"/> if the host is itself a public suffix, an IP address (IPv4, or IPv6 with
    /// or without brackets), empty, has an empty label, or is not a valid host name.
    /// </returns>
    public string? GetRegistrableDomain(string host)
    {
        ArgumentNullException.ThrowIfNull(host);

        if (!TryNormalize(host, out var name, out var length))
        {
            return null;
        }

        var span = name.AsSpan(0, length);
        var suffixStart = FindPublicSuffixStart(span);
        if (suffixStart == 0)
        {
            return null;
        }

        // suffixStart - 1 is the dot in front of the public suffix; the label before it belongs to the result.
        var start = span[..(suffixStart - 1)].LastIndexOf('.') + 1;
        return start == 0 && length == name.Length ? name : name.Substring(start, length - start);
    }

    private static PublicSuffixList LoadDefault()
    {
        var assembly = typeof(PublicSuffixList).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"The embedded resource '{ResourceName}' is missing from {assembly.GetName().Name}.");
        var utf8 = new byte[stream.Length];
        stream.ReadExactly(utf8);
        return ParseUtf8(utf8);
    }

    private static ReadOnlySpan<char> FirstToken(ReadOnlySpan<char> line)
    {
        var span = line.TrimStart();
        var end = span.IndexOfAny(_whiteSpace);
        return end < 0 ? span : span[..end];
    }

    /// <summary>
    /// The rule's name as it is stored, lower case and in punycode; false if it is not a valid domain
    /// name. An ASCII name is lower-cased into <paramref name="names"/>; a Unicode one becomes a punycode
    /// string.
    /// </summary>
    private static bool TryGetRuleName(ReadOnlySpan<char> domain, IdnMapping idn, CharBlocks names, out ReadOnlyMemory<char> name)
    {
        if (Ascii.IsValid(domain))
        {
            var chars = names.Reserve(domain.Length);
            Ascii.ToLower(domain, chars.Span, out _);
            name = chars;
        }
        else if (ToPunycode(domain.ToString(), idn) is { } punycode)
        {
            name = punycode.AsMemory();
        }
        else
        {
            name = default;
            return false;
        }

        return IsValidName(name.Span);
    }

    /// <summary>A Unicode name lower-cased and in punycode; null when <see cref="IdnMapping"/> refuses it.</summary>
    private static string? ToPunycode(string unicode, IdnMapping idn)
    {
        try
        {
            // IdnMapping maps the Unicode full stops (U+3002 and others) to '.', but with invariant
            // globalization it applies no other UTS #46 mapping: lower-case first.
            return idn.GetAscii(unicode.ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Brings <paramref name="host"/> to the form rules are stored in: ASCII, lower case, without a
    /// trailing dot (<paramref name="name"/> up to <paramref name="length"/>). Allocates only when the
    /// host has upper-case or non-ASCII characters.
    /// </summary>
    private static bool TryNormalize(string host, out string name, out int length)
    {
        name = host;
        if (!Ascii.IsValid(host.AsSpan()))
        {
            if (ToPunycode(host, new IdnMapping()) is not { } punycode)
            {
                length = 0;
                return false;
            }

            name = punycode;
        }

        length = name.Length;
        if (length > 0 && name[length - 1] == '.')
        {
            length--;
        }

        if (name.AsSpan(0, length).ContainsAny(_upperCaseLetters))
        {
            name = string.Create(
                length,
                name,
                static (lower, source) => Ascii.ToLower(source.AsSpan(0, lower.Length), lower, out _));
        }

        var span = name.AsSpan(0, length);
        return IsValidName(span) && !EndsInANumber(span);
    }

    private static bool IsValidName(ReadOnlySpan<char> name) =>
        !name.IsEmpty
        && name[0] != '.'
        && name[^1] != '.'
        && !name.Contains("..", StringComparison.Ordinal)
        // Rejects IPv6 addresses (':', brackets) and anything else that is not a host name.
        && !name.ContainsAnyExcept(_hostNameChars);

    /// <summary>
    /// Whether the last label is a number (decimal, or hexadecimal with <c>0x</c>): the WHATWG URL
    /// standard then parses the host as an IPv4 address (<c>127.0.0.1</c>, <c>0x7f.1</c>) or rejects it.
    /// No top-level domain is numeric.
    /// </summary>
    private static bool EndsInANumber(ReadOnlySpan<char> name)
    {
        var last = name[(name.LastIndexOf('.') + 1)..];
        if (last.StartsWith("0x", StringComparison.Ordinal))
        {
            return !last[2..].ContainsAnyExcept(_hexDigits);
        }

        return !last.ContainsAnyExcept(_digits);
    }

    /// <summary>
    /// The list's algorithm: of the rules matching <paramref name="name"/>, an exception rule prevails,
    /// otherwise the one with the most labels, otherwise the default rule <c>*</c>. Returns the index in
    /// <paramref name="name"/> where its public suffix starts (0 when the whole name is one).
    /// </summary>
    private int FindPublicSuffixStart(ReadOnlySpan<char> name)
    {
        // Walk the suffixes of the name from the last label leftwards, one label at a time, so that
        // each match is longer than the one before.
        var start = name.LastIndexOf('.') + 1;
        var publicSuffixStart = start;
        var rules = (_allRules ?? _byTopLevel!.RulesUnder(name[start..])).Rules;
        while (rules.TryGetValue(name[start..], out var kinds))
        {
            if ((kinds & RuleKinds.Exception) != 0)
            {
                // The public suffix is the exception rule without its leftmost label.
                return start + name[start..].IndexOf('.') + 1;
            }

            if ((kinds & RuleKinds.Normal) != 0)
            {
                publicSuffixStart = start;
            }

            if (start == 0)
            {
                break;
            }

            var labelStart = name[..(start - 1)].LastIndexOf('.') + 1;
            if ((kinds & RuleKinds.Wildcard) != 0)
            {
                publicSuffixStart = labelStart;
            }

            start = labelStart;
        }

        return publicSuffixStart;
    }

    /// <summary>Collects the rules of a list, line by line, checking each as it comes.</summary>
    private sealed class Builder
    {
        private readonly Dictionary<ReadOnlyMemory<char>, RuleKinds> _rules;
        private readonly CharBlocks _names;
        private readonly IdnMapping _idn = new();

        /// <param name="capacity">The number of names (rules and the suffixes they add) expected.</param>
        /// <param name="characters">The number of characters their rules are expected to take.</param>
        public Builder(int capacity, int characters)
        {
            _rules = new(capacity, RuleNameComparer.Instance);
            _names = new(characters);
        }

        public int RuleCount { get; private set; }

        public void AddLine(ReadOnlySpan<char> line, int lineNumber)
        {
            var token = FirstToken(line);
            if (token.IsEmpty || token.StartsWith("//", StringComparison.Ordinal))
            {
                return;
            }

            RuleCount++;
            if (token is "*")
            {
                // The default rule, which applies anyway.
                return;
            }

            var kind = RuleKinds.Normal;
            var domain = token;
            if (domain.StartsWith('!'))
            {
                kind = RuleKinds.Exception;
                domain = domain[1..];
            }
            else if (domain.StartsWith("*.", StringComparison.Ordinal))
            {
                // Stored on the suffix under the wildcard, so that a lookup finds it on the way left.
                // "*.foo" makes "foo" a public suffix too, as in browsers (Chromium's
                // registry_controlled_domain, Firefox, libpsl) and the list's own linter, which
                // rejects "foo" next to "*.foo" as redundant; the wiki's algorithm alone would make
                // "foo" registrable, and a browser drops a cookie scoped to it from "x.foo".
                kind = RuleKinds.Wildcard | RuleKinds.Normal;
                domain = domain[2..];
            }

            if (!TryGetRuleName(domain, _idn, _names, out var name))
            {
                throw new FormatException($"Line {lineNumber}: '{token}' is not a valid public suffix rule.");
            }

            if (kind == RuleKinds.Exception && !name.Span.Contains('.'))
            {
                throw new FormatException(
                    $"Line {lineNumber}: exception rule '{token}' must have at least two labels.");
            }

            CollectionsMarshal.GetValueRefOrAddDefault(_rules, name, out _) |= kind;

            // Every suffix of a rule is marked, so that a lookup knows when no longer rule can match. A
            // suffix is a slice of the rule's own characters: nothing is allocated for it.
            var suffix = name;
            while (suffix.Span.IndexOf('.') is var dot and >= 0)
            {
                suffix = suffix[(dot + 1)..];
                _rules.TryAdd(suffix, RuleKinds.None);
            }
        }

        public RuleSet ToRuleSet() => new(_rules);
    }

    /// <summary>Rules by name, looked up by span.</summary>
    private sealed class RuleSet(Dictionary<ReadOnlyMemory<char>, RuleKinds> rules)
    {
        public static readonly RuleSet Empty = new(new(0, RuleNameComparer.Instance));

        public Dictionary<ReadOnlyMemory<char>, RuleKinds>.AlternateLookup<ReadOnlySpan<char>> Rules { get; } =
            rules.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// The rule lines of UTF-8 list text by top-level label, each label's rules parsed on first use. Safe
    /// for concurrent use: two threads that read the same label at once both parse it and one result is
    /// kept. Only labels that occur in the list have an entry, so host names cannot make it grow.
    /// </summary>
    private sealed class TopLevelIndex
    {
        private readonly ReadOnlyMemory<byte> _utf8;
        private readonly Dictionary<string, TopLevel>.AlternateLookup<ReadOnlySpan<char>> _topLevels;

        // Every rule line of the list, in one array; each label's lines are chained through Next, so that
        // the pass allocates no list per label.
        private readonly RuleLine[] _lines;

        public TopLevelIndex(ReadOnlyMemory<byte> utf8)
        {
            _utf8 = utf8;
            var topLevels = new Dictionary<string, TopLevel>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            var lines = new RuleLine[Math.Max(16, utf8.Length / 24)];
            var count = 0;
            var idn = new IdnMapping();
            Span<char> chars = stackalloc char[256];
            var text = utf8.Span;
            var offset = 0;
            var lineNumber = 0;

            // The list is grouped by label (all of uk's rules together, then a company's names under com):
            // a line whose label is the previous line's bytes needs no conversion and no lookup.
            ReadOnlySpan<byte> previousLabel = default;
            TopLevel? previous = null;
            while (offset < text.Length)
            {
                var start = offset;
                var length = NextLine(text[start..], out var next);
                offset += next;
                lineNumber++;
                var token = FirstToken(text.Slice(start, length));
                if (token.IsEmpty || token.StartsWith("//"u8))
                {
                    continue;
                }

                RuleCount++;
                if (token is [(byte)'*'])
                {
                    continue;
                }

                var label = token[(token.LastIndexOf((byte)'.') + 1)..];
                var topLevel = previous is not null && label.SequenceEqual(previousLabel) ? previous : Find(topLevels, label, chars, idn, token, lineNumber);
                previous = topLevel;
                previousLabel = label;

                if (count == lines.Length)
                {
                    Array.Resize(ref lines, lines.Length * 2);
                }

                lines[count] = new RuleLine(start, length, lineNumber);
                if (topLevel.Count == 0)
                {
                    topLevel.First = count;
                }
                else
                {
                    lines[topLevel.Last].Next = count;
                }

                topLevel.Last = count++;
                topLevel.Count++;
            }

            _lines = lines;
            _topLevels = topLevels;
        }

        public int RuleCount { get; }

        /// <summary>The rules under <paramref name="topLevel"/> (lower case, punycode); none for a label the list lacks.</summary>
        public RuleSet RulesUnder(ReadOnlySpan<char> topLevel)
        {
            if (!_topLevels.TryGetValue(topLevel, out var entry))
            {
                return RuleSet.Empty;
            }

            if (Volatile.Read(ref entry.Rules) is { } rules)
            {
                return rules;
            }

            // Sized for each rule and the parent suffix it usually adds, and for the lines' characters
            // (comments past a rule included): one block.
            var characters = 0;
            for (int i = 0, index = entry.First; i < entry.Count; i++, index = _lines[index].Next)
            {
                characters += _lines[index].Length;
            }

            var builder = new Builder(2 * entry.Count, characters);
            Span<char> chars = stackalloc char[256];
            for (int i = 0, index = entry.First; i < entry.Count; i++, index = _lines[index].Next)
            {
                var (start, length, lineNumber) = (_lines[index].Start, _lines[index].Length, _lines[index].LineNumber);
                var line = _utf8.Span.Slice(start, length);
                if (line.Length <= chars.Length && Ascii.IsValid(line))
                {
                    Ascii.ToLower(line, chars, out var written);
                    builder.AddLine(chars[..written], lineNumber);
                }
                else
                {
                    builder.AddLine(Encoding.UTF8.GetString(line), lineNumber);
                }
            }

            return Interlocked.CompareExchange(ref entry.Rules, builder.ToRuleSet(), null) ?? entry.Rules;
        }

        /// <summary>The entry of a rule's top-level label (lower case, punycode), added on its first line.</summary>
        private static TopLevel Find(
            Dictionary<string, TopLevel>.AlternateLookup<ReadOnlySpan<char>> topLevels,
            ReadOnlySpan<byte> label,
            Span<char> chars,
            IdnMapping idn,
            ReadOnlySpan<byte> token,
            int lineNumber)
        {
            ReadOnlySpan<char> name;
            if (label.Length <= chars.Length && Ascii.IsValid(label))
            {
                Ascii.ToLower(label, chars, out var written);
                name = chars[..written];
            }
            else
            {
                name = ToPunycode(Encoding.UTF8.GetString(label), idn);
            }

            if (!IsValidName(name) || name.Contains('.'))
            {
                throw new FormatException(
                    $"Line {lineNumber}: '{Encoding.UTF8.GetString(token)}' is not a valid public suffix rule.");
            }

            if (!topLevels.TryGetValue(name, out var topLevel))
            {
                topLevels[name] = topLevel = new();
            }

            return topLevel;
        }

        /// <summary>The length of the first line; <paramref name="next"/> is where the one after it starts.</summary>
        private static int NextLine(ReadOnlySpan<byte> text, out int next)
        {
            // Lines end in \n, \r\n or \r, as TextReader.ReadLine has them.
            var end = text.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0)
            {
                next = text.Length;
                return text.Length;
            }

            next = end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1);
            return end;
        }

        private static ReadOnlySpan<byte> FirstToken(ReadOnlySpan<byte> line)
        {
            var span = line.TrimStart(" \t\f\v"u8);
            var end = span.IndexOfAny(" \t\f\v"u8);
            return end < 0 ? span : span[..end];
        }

        private struct RuleLine(int start, int length, int lineNumber)
        {
            public readonly int Start = start;
            public readonly int Length = length;
            public readonly int LineNumber = lineNumber;

            // The index of the label's next line; meaningless on its last (TopLevel.Count says where to stop).
            public int Next;
        }

        private sealed class TopLevel
        {
            public int First;
            public int Last;
            public int Count;

            // A field, for Interlocked: set once, by whichever thread parses the label first.
            public RuleSet? Rules;
        }
    }

    /// <summary>
    /// Compares rule names by their characters, whichever block or string holds them, and looks them up
    /// by span.
    /// </summary>
    private sealed class RuleNameComparer :
        IEqualityComparer<ReadOnlyMemory<char>>,
        IAlternateEqualityComparer<ReadOnlySpan<char>, ReadOnlyMemory<char>>
    {
        public static readonly RuleNameComparer Instance = new();

        public bool Equals(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<char> obj) => string.GetHashCode(obj.Span);

        public bool Equals(ReadOnlySpan<char> alternate, ReadOnlyMemory<char> other) => alternate.SequenceEqual(other.Span);

        public int GetHashCode(ReadOnlySpan<char> alternate) => string.GetHashCode(alternate);

        public ReadOnlyMemory<char> Create(ReadOnlySpan<char> alternate) => alternate.ToString().AsMemory();
    }

    /// <summary>
    /// Hands out rule names as slices of large character blocks, one new block whenever the current one is
    /// full. Slices stay valid: a full block is never written again, only no longer appended to.
    /// </summary>
    private sealed class CharBlocks(int blockLength)
    {
        private char[] _block = [];
        private int _used;

        public Memory<char> Reserve(int length)
        {
            if (_block.Length - _used < length)
            {
                _block = new char[Math.Max(blockLength, length)];
                _used = 0;
            }

            var chars = _block.AsMemory(_used, length);
            _used += length;
            return chars;
        }
    }
}
