using System.Collections.Frozen;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Removes the request headers that describe the proxy's own hop rather than the viewer: hop-by-hop
/// headers (and any named by <c>Connection</c>), AWS and CloudFront platform headers (<c>x-amz-*</c>,
/// <c>x-amzn-*</c>, <c>cloudfront-*</c>), forwarding headers from an inner hop (<c>x-forwarded-*</c>,
/// <c>forwarded</c>, <c>via</c>), any <c>FPJS-Proxy-*</c> header a client sent (only this proxy sets
/// those), the edge's own viewer-context and origin-verification headers, and an <c>Authorization</c>
/// that is an AWS SigV4 signature (CloudFront OAC signs its request to the Function URL; that signature
/// is for the proxy's hop, not Fingerprint's). Everything else passes unchanged.
/// </summary>
internal sealed class RequestPlatformHeadersRemovalTransform : RequestTransform
{
    // Runs for every header of every request: a frozen set, and the prefixes tried only for the
    // letters they start with (header names are ASCII tokens).
    private static readonly FrozenSet<string> Names = new[]
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.ProxyAuthorization, HeaderNames.ProxyAuthenticate,
        "Proxy-Connection", HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding, HeaderNames.Upgrade,
        "Forwarded", HeaderNames.Via,
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <param name="additionalHeaders">Further names to remove, e.g. the edge's viewer headers and the origin-verification header.</param>
    public RequestPlatformHeadersRemovalTransform(IEnumerable<string> additionalHeaders)
    {
        ArgumentNullException.ThrowIfNull(additionalHeaders);
        AdditionalHeaders = additionalHeaders.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The configured names removed besides the built-in rules.</summary>
    public IReadOnlySet<string> AdditionalHeaders { get; }

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.HttpContext.Request.Headers;
        var connectionTokens = headers.Connection;
        foreach (var header in headers)
        {
            var name = header.Key;
            if (ShouldRemove(name) || AdditionalHeaders.Contains(name) || IsListedIn(connectionTokens, name)
                || (string.Equals(name, HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase) && IsSigV4(header.Value)))
            {
                RemoveHeader(context, name);
            }
        }

        return default;
    }

    internal static bool ShouldRemove(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        return (name[0] | 0x20) switch
        {
            'x' => name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("x-amzn-", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("x-forwarded-", StringComparison.OrdinalIgnoreCase),
            'c' => name.StartsWith("cloudfront-", StringComparison.OrdinalIgnoreCase) || Names.Contains(name),
            'f' => name.StartsWith("fpjs-proxy-", StringComparison.OrdinalIgnoreCase) || Names.Contains(name),
            'k' or 'p' or 't' or 'u' or 'v' => Names.Contains(name),
            _ => false,
        };
    }

    private static bool IsSigV4(StringValues authorization) =>
        authorization.Count == 1 && authorization[0] is { } value && value.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/> is one of the comma-separated tokens of <c>Connection</c> (read without allocating: it runs per header).</summary>
    private static bool IsListedIn(StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            var rest = value.AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var token = (comma < 0 ? rest : rest[..comma]).Trim();
                if (token.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                rest = comma < 0 ? default : rest[(comma + 1)..];
            }
        }

        return false;
    }
}
