using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms.Tests;

/// <summary>
/// Builds YARP transform contexts without a host, in the state YARP hands them to transforms when
/// <c>CopyRequestHeaders</c> / <c>CopyResponseHeaders</c> are on: request headers already copied onto
/// the proxy request, response headers already copied onto <c>HttpContext.Response</c>.
/// </summary>
internal static class TransformTestContext
{
    public const string Upstream = "https://api.fpjs.io";

    /// <summary>A request as Kestrel would present it: method, raw headers (a name may repeat, as with HTTP/2 cookies).</summary>
    public static DefaultHttpContext HttpContext(string method, params (string Name, string Value)[] headers)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Request.Method = method;
        httpContext.Request.Scheme = "https";
        httpContext.Request.Host = new HostString("www.example.com");
        httpContext.Request.Path = "/fpjs/result";
        foreach (var group in headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase))
        {
            httpContext.Request.Headers[group.Key] = group.Select(h => h.Value).ToArray();
        }

        return httpContext;
    }

    /// <summary>
    /// The context of a request transform with the client's headers copied onto the proxy request the way
    /// YARP copies them (<c>TryAddWithoutValidation</c>, content headers on the content). Unlike YARP every
    /// header except Host is copied, hop-by-hop ones included, so a transform that must remove one is
    /// observed doing it rather than relying on YARP.
    /// </summary>
    public static RequestTransformContext Request(HttpContext httpContext)
    {
        var proxyRequest = new HttpRequestMessage(new HttpMethod(httpContext.Request.Method), (Uri?)null);
        foreach (var (name, values) in httpContext.Request.Headers)
        {
            if (string.Equals(name, HeaderNames.Host, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!proxyRequest.Headers.TryAddWithoutValidation(name, values.ToArray()!))
            {
                proxyRequest.Content ??= new ByteArrayContent([]);
                Assert.True(proxyRequest.Content.Headers.TryAddWithoutValidation(name, values.ToArray()!), $"Header {name} could not be copied.");
            }
        }

        return new RequestTransformContext
        {
            HttpContext = httpContext,
            ProxyRequest = proxyRequest,
            HeadersCopied = true,
            Path = httpContext.Request.Path,
            Query = new QueryTransformContext(httpContext.Request),
            DestinationPrefix = Upstream,
        };
    }

    /// <summary>The context of a response transform; the upstream's headers go in <c>HttpContext.Response.Headers</c>.</summary>
    public static ResponseTransformContext Response(HttpContext httpContext) => new()
    {
        HttpContext = httpContext,
        ProxyResponse = new HttpResponseMessage(),
        HeadersCopied = true,
    };

    /// <summary>The raw values of a proxy request header (request or content headers), as they will be sent; null when absent.</summary>
    public static IEnumerable<string>? ProxyHeader(this RequestTransformContext context, string name)
    {
        var request = context.ProxyRequest;
        if (request.Headers.NonValidated.TryGetValues(name, out var values))
        {
            return [.. values];
        }

        if (request.Content is { } content && content.Headers.NonValidated.TryGetValues(name, out values))
        {
            return [.. values];
        }

        return null;
    }

    /// <summary>A response header's values as a sequence, for collection assertions.</summary>
    public static IEnumerable<string?> Values(this StringValues values) => values;

    /// <summary>The names of every header on the proxy request, request and content headers together.</summary>
    public static string[] ProxyHeaderNames(this RequestTransformContext context)
    {
        var names = context.ProxyRequest.Headers.NonValidated.Select(h => h.Key);
        if (context.ProxyRequest.Content is { } content)
        {
            names = names.Concat(content.Headers.NonValidated.Select(h => h.Key));
        }

        return [.. names];
    }
}
