using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace FingerprintProxy.Transforms.Tests;

/// <summary>
/// Builds YARP transform contexts and pipelines without a host, in the state YARP hands them to
/// transforms when <c>CopyRequestHeaders</c> / <c>CopyResponseHeaders</c> are on.
/// </summary>
internal static class TransformTestContext
{
    public const string Upstream = "https://api.fpjs.io";

    private static readonly ITransformBuilder Builder = new ServiceCollection()
        .AddLogging()
        .AddReverseProxy().Services
        .BuildServiceProvider()
        .GetRequiredService<ITransformBuilder>();

    /// <summary>A request as Kestrel would present it: method, Host www.example.com, raw headers (a name may repeat, as with HTTP/2 cookies).</summary>
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
    /// The context of a request transform with the client's headers copied onto the proxy request by
    /// YARP's own copy (<see cref="HttpTransformer.Empty"/>): hop-by-hop headers YARP knows are already
    /// gone, the client's Host is still there.
    /// </summary>
    public static RequestTransformContext Request(HttpContext httpContext)
    {
        var proxyRequest = new HttpRequestMessage(new HttpMethod(httpContext.Request.Method), (Uri?)null);
        var copy = HttpTransformer.Empty.TransformRequestAsync(httpContext, proxyRequest, Upstream, CancellationToken.None);
        Assert.True(copy.IsCompletedSuccessfully);

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

    /// <summary>The Fingerprint pipeline as the forwarder runs it: YARP's header copy, YARP's own transforms and ours.</summary>
    public static HttpTransformer Pipeline(FingerprintTransformOptions options) =>
        Builder.Create(context => context.AddFingerprintProxyTransforms(options));

    /// <summary>The request the forwarder would send upstream for <paramref name="httpContext"/>.</summary>
    public static async Task<HttpRequestMessage> ProxyRequestAsync(this HttpTransformer pipeline, HttpContext httpContext)
    {
        var proxyRequest = new HttpRequestMessage(new HttpMethod(httpContext.Request.Method), (Uri?)null);
        await pipeline.TransformRequestAsync(httpContext, proxyRequest, Upstream, CancellationToken.None);
        return proxyRequest;
    }

    /// <summary>The raw values of a proxy request header (request or content headers), as they will be sent; null when absent.</summary>
    public static IEnumerable<string>? ProxyHeader(this RequestTransformContext context, string name) => context.ProxyRequest.Header(name);

    /// <summary>The raw values of a request header (request or content headers), as they will be sent; null when absent.</summary>
    public static IEnumerable<string>? Header(this HttpRequestMessage request, string name)
    {
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
    public static string[] ProxyHeaderNames(this RequestTransformContext context) => context.ProxyRequest.HeaderNames();

    /// <summary>The names of every header on a request, request and content headers together, in order.</summary>
    public static string[] HeaderNames(this HttpRequestMessage request)
    {
        var names = request.Headers.NonValidated.Select(h => h.Key);
        if (request.Content is { } content)
        {
            names = names.Concat(content.Headers.NonValidated.Select(h => h.Key));
        }

        return [.. names.Order(StringComparer.OrdinalIgnoreCase)];
    }
}
