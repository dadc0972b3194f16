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
public sealed class RequestPlatformHeadersRemovalTransform : RequestTransform
{
    private static readonly string[] Prefixes = ["x-amz-", "x-amzn-", "x-forwarded-", "cloudfront-", "fpjs-proxy-"];

    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.ProxyAuthorization, HeaderNames.ProxyAuthenticate,
        "Proxy-Connection", HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding, HeaderNames.Upgrade,
        "Forwarded", HeaderNames.Via,
    };

    /// <param name="additionalHeaders">Further names to remove, e.g. the edge's viewer headers and the origin-verification header.</param>
    public RequestPlatformHeadersRemovalTransform(IEnumerable<string> additionalHeaders)
    {
        ArgumentNullException.ThrowIfNull(additionalHeaders);
        AdditionalHeaders = new HashSet<string>(additionalHeaders, StringComparer.OrdinalIgnoreCase);
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
        if (Names.Contains(name))
        {
            return true;
        }

        foreach (var prefix in Prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSigV4(Microsoft.Extensions.Primitives.StringValues authorization) =>
        authorization.Count == 1 && authorization[0] is { } value && value.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal);

    private static bool IsListedIn(Microsoft.Extensions.Primitives.StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            {
                if (string.Equals(token, name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
