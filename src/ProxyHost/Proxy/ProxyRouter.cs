using System.Buffers;
using FingerprintProxy.Configuration;

namespace FingerprintProxy.Proxy;

/// <summary>
/// Maps a raw request path and query to a route of the Fingerprint proxy contract (docs/contract.md, "Routes").
/// Pure and allocation-light: it runs on every request against the settings snapshot in force, so a
/// changed integration, agent or result path takes effect at the next request.
/// </summary>
internal static class ProxyRouter
{
    // Visible ASCII only: browsers percent-encode everything else. '\' is refused because some servers
    // treat it as '/'.
    private static readonly SearchValues<char> AllowedPathChars = SearchValues.Create(
        "!$&'()*+,-./0123456789:;=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~%|^`{}\"<>[]");

    private static readonly SearchValues<char> AllowedQueryChars = SearchValues.Create(
        "!$&'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~%|^`{}\"<>[]\\");

    /// <param name="path">The path as received, percent-encoding kept.</param>
    /// <param name="query">The raw query, with or without its leading '?'.</param>
    /// <param name="settings">The routes of the settings snapshot in force.</param>
    public static RouteMatch Match(string path, ReadOnlySpan<char> query, RouteTable settings)
    {
        var behavior = settings.BehaviorPath;
        ReadOnlySpan<char> rest;
        if (behavior.Length == 0)
        {
            if (!path.StartsWith('/'))
            {
                return RouteMatch.NotFound;
            }

            rest = path.AsSpan(1);
        }
        else
        {
            // "/B" and "/B/..." are under the integration path; "/Bx" is not.
            if (path.Length < behavior.Length + 1 || path[0] != '/' || !path.AsSpan(1, behavior.Length).SequenceEqual(behavior))
            {
                return RouteMatch.NotFound;
            }

            if (path.Length == behavior.Length + 1)
            {
                rest = default;
            }
            else if (path[behavior.Length + 1] == '/')
            {
                rest = path.AsSpan(behavior.Length + 2);
            }
            else
            {
                return RouteMatch.NotFound;
            }
        }

        if (ValidatePath(rest) is { } pathError)
        {
            return RouteMatch.Bad(pathError);
        }

        if (query.ContainsAnyExcept(AllowedQueryChars))
        {
            return RouteMatch.Bad("The query string contains characters that must be percent-encoded.");
        }

        var firstSegmentEnd = rest.IndexOf('/');
        var first = firstSegmentEnd < 0 ? rest : rest[..firstSegmentEnd];

        if (first.SequenceEqual(settings.GetResultPath))
        {
            var suffix = rest[first.Length..];
            return new RouteMatch(RouteKind.Result, RegionOrigin(query, settings), suffix.IsEmpty ? "/" : suffix.ToString());
        }

        if (firstSegmentEnd < 0)
        {
            if (rest.SequenceEqual(settings.AgentDownloadPath))
            {
                return MatchAgent(query, settings);
            }

            if (rest.SequenceEqual(ProxyStatusPath))
            {
                return RouteMatch.Status;
            }
        }

        return new RouteMatch(RouteKind.CatchAll, RegionOrigin(query, settings), string.Concat("/", rest));
    }

    /// <summary>The status page's segment under the integration path.</summary>
    public const string ProxyStatusPath = ProxyOptionsValidator.StatusPath;

    private static RouteMatch MatchAgent(ReadOnlySpan<char> query, RouteTable settings)
    {
        var apiKey = RawQuery.GetFirst(query, "apiKey");
        if (string.IsNullOrEmpty(apiKey) || !ProxyOptionsValidator.IsToken(apiKey))
        {
            return RouteMatch.Bad("The apiKey query parameter is required and may contain only letters, digits, '_' and '-'.");
        }

        var version = RawQuery.GetFirst(query, "version");
        if (version is not null && (version.Length is 0 or > 4 || !IsDigits(version)))
        {
            return RouteMatch.Bad("The version query parameter must be a number.");
        }

        var loaderVersion = RawQuery.GetFirst(query, "loaderVersion");
        if (loaderVersion is not null && !IsLoaderVersion(loaderVersion))
        {
            return RouteMatch.Bad("The loaderVersion query parameter may contain only letters, digits, '.', '_' and '-'.");
        }

        var path = loaderVersion is null
            ? string.Concat("/web/v", version ?? "3", "/", apiKey)
            : string.Concat("/web/v", version ?? "3", "/", apiKey, "/loader_v", loaderVersion, ".js");
        return new RouteMatch(RouteKind.Agent, settings.Ingress.Global, path);
    }

    private static string RegionOrigin(ReadOnlySpan<char> query, RouteTable settings) =>
        settings.Ingress.ForRegion(RawQuery.GetFirst(query, "region"));

    /// <summary>
    /// Refuses what could make the upstream path escape or differ from what it looks like: dot segments
    /// (also percent-encoded), encoded slashes and backslashes, empty segments, malformed escapes and
    /// characters outside visible ASCII.
    /// </summary>
    internal static string? ValidatePath(ReadOnlySpan<char> rest)
    {
        if (rest.ContainsAnyExcept(AllowedPathChars))
        {
            return "The path contains characters that must be percent-encoded.";
        }

        for (var i = rest.IndexOf('%'); i >= 0; i = NextPercent(rest, i))
        {
            if (i + 2 >= rest.Length || !char.IsAsciiHexDigit(rest[i + 1]) || !char.IsAsciiHexDigit(rest[i + 2]))
            {
                return "The path contains a malformed percent-encoding.";
            }

            var code = Convert.ToByte(rest.Slice(i + 1, 2).ToString(), 16);
            if (code is (byte)'/' or (byte)'\\' or < 0x20 or 0x7F)
            {
                return "The path contains an encoded slash, backslash or control character.";
            }
        }

        var remaining = rest;
        while (true)
        {
            var end = remaining.IndexOf('/');
            var segment = end < 0 ? remaining : remaining[..end];
            if (IsDotSegment(segment))
            {
                return "The path may not contain '.' or '..' segments.";
            }

            if (end < 0)
            {
                break;
            }

            if (segment.IsEmpty)
            {
                return "The path may not contain empty segments ('//').";
            }

            remaining = remaining[(end + 1)..];
        }

        return null;
    }

    private static int NextPercent(ReadOnlySpan<char> value, int from)
    {
        var next = value[(from + 1)..].IndexOf('%');
        return next < 0 ? -1 : from + 1 + next;
    }

    private static bool IsDotSegment(ReadOnlySpan<char> segment)
    {
        // ".", "..", and their percent-encoded spellings (%2e, %2E, .%2e, ...).
        var dots = 0;
        var i = 0;
        while (i < segment.Length)
        {
            if (segment[i] == '.')
            {
                i++;
            }
            else if (i + 2 < segment.Length && segment[i] == '%' && segment[i + 1] == '2' && (segment[i + 2] is 'e' or 'E'))
            {
                i += 3;
            }
            else
            {
                return false;
            }

            dots++;
        }

        return dots is 1 or 2;
    }

    private static bool IsDigits(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLoaderVersion(string value)
    {
        if (value.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
