using System.Net;

namespace FingerprintProxy.Transforms;

/// <summary>
/// The cookie-scope safety net: a <c>Set-Cookie</c> whose <c>Domain</c> the browser would refuse for the
/// viewer's host is re-scoped to the host's registrable domain (eTLD+1), or made host-only when the host
/// is an IP address or a public suffix. Cookies whose <c>Domain</c> is acceptable are returned unchanged.
/// </summary>
internal static class SetCookieScope
{
    /// <summary>Returns the header to send for one <c>Set-Cookie</c> value; the same instance when unchanged.</summary>
    public static string Rescope(string setCookie, string? viewerHost, PublicSuffixList suffixes)
    {
        ArgumentNullException.ThrowIfNull(setCookie);
        ArgumentNullException.ThrowIfNull(suffixes);
        // Browsers use the last Domain attribute when there are several. Found without allocating, and
        // without a case-insensitive search of the whole header first (which costs more than this walk
        // over its attributes): most cookies are acceptable and pass unchanged, on every identification
        // response.
        if (!TryGetLastDomain(setCookie, out var domain) || NormalizeHost(viewerHost) is not { } host
            || IsAcceptable(domain.ToString(), host, suffixes))
        {
            return setCookie;
        }

        var replacement = IsIpAddress(host) ? null : suffixes.GetRegistrableDomain(host);
        var result = new System.Text.StringBuilder(setCookie.Length + 16);
        var copiedUpTo = 0;
        foreach (var (name, _, semicolon, start, end) in Attributes(setCookie))
        {
            if (!name.Equals("domain", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (replacement is null)
            {
                // Drop the attribute together with the ';' that introduced it.
                result.Append(setCookie, copiedUpTo, semicolon - copiedUpTo);
            }
            else
            {
                result.Append(setCookie, copiedUpTo, start - copiedUpTo).Append("Domain=").Append(replacement);
            }

            copiedUpTo = end;
        }

        result.Append(setCookie, copiedUpTo, setCookie.Length - copiedUpTo);
        return result.ToString();
    }

    /// <summary>
    /// RFC 6265 §5.3: the browser keeps a Domain that domain-matches the host and is not a public suffix
    /// (a public suffix equal to the host itself is tolerated: the cookie becomes host-only).
    /// </summary>
    internal static bool IsAcceptable(string domainAttribute, string host, PublicSuffixList suffixes)
    {
        var domain = domainAttribute.Trim().TrimStart('.').TrimEnd('.').ToLowerInvariant();
        if (domain.Length == 0)
        {
            // An empty Domain attribute is ignored by browsers: the cookie is host-only already.
            return true;
        }

        if (domain == host)
        {
            return true;
        }

        if (IsIpAddress(host) || !host.EndsWith(domain, StringComparison.Ordinal) || host[host.Length - domain.Length - 1] != '.')
        {
            return false;
        }

        return !suffixes.IsPublicSuffix(domain);
    }

    internal static string? NormalizeHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        var normalized = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (normalized.StartsWith('[') && normalized.EndsWith(']'))
        {
            normalized = normalized[1..^1];
        }

        return normalized.Length == 0 ? null : normalized;
    }

    private static bool IsIpAddress(string host) => IPAddress.TryParse(host, out _);

    /// <summary>The trimmed value of the last <c>Domain</c> attribute (empty when it has no '='); false when there is none.</summary>
    private static bool TryGetLastDomain(string setCookie, out ReadOnlySpan<char> domain)
    {
        var found = false;
        domain = default;
        var position = setCookie.IndexOf(';');
        while (position >= 0)
        {
            var start = position + 1;
            var next = setCookie.IndexOf(';', start);
            var text = setCookie.AsSpan(start, (next < 0 ? setCookie.Length : next) - start);
            var equals = text.IndexOf('=');
            if ((equals < 0 ? text : text[..equals]).Trim().Equals("domain", StringComparison.OrdinalIgnoreCase))
            {
                domain = equals < 0 ? default : text[(equals + 1)..].Trim();
                found = true;
            }

            position = next;
        }

        return found;
    }

    /// <summary>
    /// The attributes after the name=value pair: name, value, the index of the ';' before the attribute,
    /// and the span [start, end) of the attribute text.
    /// </summary>
    private static IEnumerable<(string Name, string Value, int Semicolon, int Start, int End)> Attributes(string setCookie)
    {
        var position = setCookie.IndexOf(';');
        while (position >= 0)
        {
            var start = position + 1;
            var next = setCookie.IndexOf(';', start);
            var end = next < 0 ? setCookie.Length : next;
            var text = setCookie.AsSpan(start, end - start);
            var leading = text.Length - text.TrimStart().Length;
            var equals = text.IndexOf('=');
            var name = (equals < 0 ? text : text[..equals]).Trim().ToString();
            var value = equals < 0 ? string.Empty : text[(equals + 1)..].Trim().ToString();
            yield return (name, value, position, start + leading, end);
            position = next;
        }
    }
}
