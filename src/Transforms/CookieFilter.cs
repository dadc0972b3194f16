using Microsoft.Extensions.Primitives;

namespace FingerprintProxy.Transforms;

/// <summary>Picks named cookies out of <c>Cookie</c> request headers without changing their bytes.</summary>
internal static class CookieFilter
{
    /// <summary>
    /// Returns the <c>name=value</c> pairs of every cookie called <paramref name="name"/> (exact, case-sensitive,
    /// as browsers send cookie names), joined with <c>"; "</c>; null when there is none.
    /// </summary>
    public static string? KeepOnly(StringValues cookieHeaders, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string? kept = null;
        foreach (var header in cookieHeaders)
        {
            if (header is null)
            {
                continue;
            }

            var rest = header.AsSpan();
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf(';');
                var pair = (end < 0 ? rest : rest[..end]).Trim(' ');
                rest = end < 0 ? default : rest[(end + 1)..];

                var equals = pair.IndexOf('=');
                if (equals > 0 && pair[..equals].TrimEnd(' ').SequenceEqual(name))
                {
                    kept = kept is null ? pair.ToString() : string.Concat(kept, "; ", pair);
                }
            }
        }

        return kept;
    }
}
