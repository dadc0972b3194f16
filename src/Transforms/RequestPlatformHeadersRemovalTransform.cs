using System.Collections.Frozen;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Removes the request headers that describe the proxy's own hop rather than the viewer, on every
/// method. YARP's header copy already drops the hop-by-hop headers it knows (<c>Connection</c>,
/// <c>Keep-Alive</c>, <c>TE</c>, <c>Transfer-Encoding</c>, <c>Upgrade</c>, <c>Proxy-*</c>, ...); this
/// transform removes what it leaves:
/// <list type="bullet">
/// <item>the client's <c>Host</c>, whatever it holds, so that the only <c>Host</c> upstream is the one
/// the HTTP client writes from the request URI;</item>
/// <item>any header named in <c>Connection</c>, whatever else <c>Connection</c> lists;</item>
/// <item>forwarding headers (<c>x-forwarded-*</c>, <c>Forwarded</c>, <c>X-Real-IP</c>,
/// <c>True-Client-IP</c>, <c>X-Client-IP</c>, <c>CF-Connecting-IP</c>, <c>Fastly-Client-IP</c>) and
/// <c>Via</c>: <c>FPJS-Proxy-Client-IP</c> is the one client IP Fingerprint gets;</item>
/// <item>AWS and CloudFront platform headers (<c>x-amz-*</c>, <c>x-amzn-*</c>, <c>cloudfront-*</c>) and an
/// <c>Authorization</c> that is an AWS SigV4 signature (CloudFront OAC signs its request to the Function
/// URL; that signature is for the proxy's hop, not Fingerprint's);</item>
/// <item>any <c>FPJS-Proxy-*</c> header a client sent (only this proxy sets those);</item>
/// <item>the names the host configures (the edge's viewer-context and origin-verification headers).</item>
/// </list>
/// Everything else passes unchanged.
/// </summary>
internal sealed class RequestPlatformHeadersRemovalTransform : RequestTransform
{
    // Runs for every header of every request: a frozen set, and prefixes tried only for the letters they
    // start with (header names are ASCII tokens).
    private static readonly FrozenSet<string> Names = new[]
    {
        "Forwarded", "X-Real-IP", "True-Client-IP", "X-Client-IP", "CF-Connecting-IP", "Fastly-Client-IP", HeaderNames.Via,
        // YARP copies Trailer, but the proxy forwards no request trailers: the announcement would be false.
        HeaderNames.Trailer,
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

        // YARP copies the client's Host and takes it out again only when it equals the parsed request host,
        // which an empty Host does not: the HTTP client would then write a second Host from the URI.
        RemoveHeader(context, HeaderNames.Host);

        var headers = context.HttpContext.Request.Headers;
        var connectionTokens = headers.Connection;

        // Names first, removal after: before YARP has copied the headers, removing one changes the collection
        // this loop walks, and the header after it would be skipped.
        var remove = System.Buffers.ArrayPool<string>.Shared.Rent(headers.Count);
        var count = 0;
        foreach (var header in headers)
        {
            var name = header.Key;
            if (ShouldRemove(name) || AdditionalHeaders.Contains(name) || IsListedIn(connectionTokens, name)
                || (string.Equals(name, HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase) && IsSigV4(header.Value)))
            {
                remove[count++] = name;
            }
        }

        for (var i = 0; i < count; i++)
        {
            RemoveHeader(context, remove[i]);
        }

        System.Buffers.ArrayPool<string>.Shared.Return(remove, clearArray: true);
        return default;
    }

    /// <summary>Whether a header is removed by the built-in rules, whatever the request.</summary>
    internal static bool ShouldRemove(string name) => HasPlatformPrefix(name) || Names.Contains(name);

    private static bool HasPlatformPrefix(string name) => name.Length > 0 && (name[0] | 0x20) switch
    {
        'x' => name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("x-amzn-", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("x-forwarded-", StringComparison.OrdinalIgnoreCase),
        'c' => name.StartsWith("cloudfront-", StringComparison.OrdinalIgnoreCase),
        'f' => name.StartsWith("fpjs-proxy-", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

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
