using System.Net;

namespace FingerprintProxy.Proxy;

/// <summary>Reads single values out of a raw query string without parsing the whole query.</summary>
internal static class RawQuery
{
    /// <summary>
    /// The decoded value of the first <paramref name="key"/> parameter (as <c>URLSearchParams.get</c>
    /// does), or null when absent. Keys are compared as sent, case-sensitively.
    /// </summary>
    public static string? GetFirst(ReadOnlySpan<char> query, ReadOnlySpan<char> key)
    {
        if (!query.IsEmpty && query[0] == '?')
        {
            query = query[1..];
        }

        while (!query.IsEmpty)
        {
            var end = query.IndexOf('&');
            var pair = end < 0 ? query : query[..end];
            query = end < 0 ? default : query[(end + 1)..];

            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            if (name.SequenceEqual(key))
            {
                var value = equals < 0 ? default : pair[(equals + 1)..];
                return value.ContainsAny('%', '+') ? WebUtility.UrlDecode(value.ToString()) : value.ToString();
            }
        }

        return null;
    }
}
