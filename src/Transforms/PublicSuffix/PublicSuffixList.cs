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

    // Lazy<T>'s default mode (ExecutionAndPublication) parses the list once even under concurrent first use.
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

    // A Dictionary rather than a FrozenDictionary: freezing 14,000 keys costs more at start-up than the
    // few lookups a request makes would ever win back. Its keys are slices of a few large character
    // blocks rather than one string per rule: the parse allocates a handful of arrays instead of 14,000
    // objects, which on the cold-start path also spares a garbage collection that would copy them all.
    private readonly Dictionary<ReadOnlyMemory<char>, RuleKinds>.AlternateLookup<ReadOnlySpan<char>> _rules;

    private PublicSuffixList(Dictionary<ReadOnlyMemory<char>, RuleKinds> rules, int ruleCount)
    {
        _rules = rules.GetAlternateLookup<ReadOnlySpan<char>>();
        RuleCount = ruleCount;
    }

    /// <summary>
    /// Gets the list shipped with this assembly (a snapshot embedded as a resource; see
    /// <c>PublicSuffix/README.md</c> for its date and source). It is parsed on first use, once.
    /// </summary>
    public static PublicSuffixList Default => _default.Value;

    /// <summary>Gets the number of rules read from the list, the default rule <c>*</c> not counted.</summary>
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

        var builder = new Builder(capacity: 0);
        while (reader.ReadLine() is { } line)
        {
            builder.AddLine(line);
        }

        return builder.ToList();
    }

    /// <summary>
    /// Parses UTF-8 list text line by line without decoding the whole text: the embedded list is read
    /// on the first request that sets a cookie, so its parse is on the cold-start path. ASCII lines (all
    /// but a few hundred of the list's 16,000) are lower-cased straight from the bytes; a line with
    /// other characters goes through the same path as <see cref="Parse(TextReader)"/>.
    /// </summary>
    internal static PublicSuffixList ParseUtf8(ReadOnlySpan<byte> utf8)
    {
        // The list has far more lines (comments included) than entries (rules and the suffixes they add):
        // sized by lines, the table is not copied while it fills.
        var builder = new Builder(utf8.Count((byte)'\n') + 1);
        Span<char> chars = stackalloc char[256];
        while (!utf8.IsEmpty)
        {
            // Lines end in \n, \r\n or \r, as TextReader.ReadLine has them.
            var end = utf8.IndexOfAny((byte)'\n', (byte)'\r');
            var line = end < 0 ? utf8 : utf8[..end];
            var next = end < 0 ? utf8.Length : end + 1;
            if (end >= 0 && utf8[end] == '\r' && next < utf8.Length && utf8[next] == '\n')
            {
                next++;
            }

            utf8 = utf8[next..];
            if (line.Length <= chars.Length && Ascii.IsValid(line))
            {
                Ascii.ToLower(line, chars, out var written);
                builder.AddLine(chars[..written]);
            }
            else
            {
                builder.AddLine(Encoding.UTF8.GetString(line));
            }
        }

        return builder.ToList();
    }

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
        else
        {
            try
            {
                name = idn.GetAscii(domain.ToString().ToLowerInvariant()).AsMemory();
            }
            catch (ArgumentException)
            {
                name = default;
                return false;
            }
        }

        return IsValidName(name.Span);
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
            try
            {
                // IdnMapping maps the Unicode full stops (U+3002 and others) to '.', but with invariant
                // globalization it applies no other UTS #46 mapping: lower-case first.
                name = new IdnMapping().GetAscii(host.ToLowerInvariant());
            }
            catch (ArgumentException)
            {
                length = 0;
                return false;
            }
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
        while (_rules.TryGetValue(name[start..], out var kinds))
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
        private readonly CharBlocks _names = new();
        private readonly IdnMapping _idn = new();
        private int _ruleCount;
        private int _lineNumber;

        public Builder(int capacity) => _rules = new(capacity, RuleNameComparer.Instance);

        public void AddLine(ReadOnlySpan<char> line)
        {
            _lineNumber++;
            var token = FirstToken(line);
            if (token.IsEmpty || token.StartsWith("//", StringComparison.Ordinal))
            {
                return;
            }

            _ruleCount++;
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
                throw new FormatException($"Line {_lineNumber}: '{token}' is not a valid public suffix rule.");
            }

            if (kind == RuleKinds.Exception && !name.Span.Contains('.'))
            {
                throw new FormatException(
                    $"Line {_lineNumber}: exception rule '{token}' must have at least two labels.");
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

        public PublicSuffixList ToList() => new(_rules, _ruleCount);
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
    private sealed class CharBlocks
    {
        // The embedded list's ASCII rules take about 130,000 characters: two or three blocks.
        private const int BlockLength = 64 * 1024;

        private char[] _block = [];
        private int _used;

        public Memory<char> Reserve(int length)
        {
            if (_block.Length - _used < length)
            {
                _block = new char[Math.Max(BlockLength, length)];
                _used = 0;
            }

            var chars = _block.AsMemory(_used, length);
            _used += length;
            return chars;
        }
    }
}
