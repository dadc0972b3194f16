using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace FingerprintProxy.Transforms.Tests;

/// <summary>
/// The pipeline as the forwarder runs it (YARP's header copy and its own Host transform included),
/// checked on the request message it builds and on the response it hands the client.
/// </summary>
public class FingerprintTransformExtensionsTests
{
    private const string Ii = "ii=fingerprint-pro-aws-dotnet-proxy%2F0.1.0%2Fingress";
    private const string UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private const string SecChUa = "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"";

    [Fact]
    public void AddFingerprintProxyTransforms_Context_AddsRequestTransformsInOrder()
    {
        var context = Build();

        Assert.Collection(
            context.RequestTransforms,
            t => Assert.IsType<RequestPlatformHeadersRemovalTransform>(t),
            t => Assert.IsType<RequestCookieFilterTransform>(t),
            t => Assert.IsType<RequestProxySecretTransform>(t),
            t => Assert.IsType<RequestClientIpTransform>(t),
            t => Assert.IsType<RequestForwardedHostTransform>(t),
            t => Assert.IsType<RequestIntegrationInfoTransform>(t),
            t => Assert.IsType<RequestDestinationTransform>(t));
    }

    [Fact]
    public void AddFingerprintProxyTransforms_Context_AddsResponseTransforms()
    {
        var context = Build();

        Assert.Collection(
            context.ResponseTransforms,
            // Their header names and conditions are internal to YARP: ResponsePipeline_AnyResponse_RemovesHstsAndCacheTag checks them.
            t => Assert.IsType<ResponseHeaderRemoveTransform>(t),
            t => Assert.IsType<ResponseHeaderRemoveTransform>(t),
            t => Assert.IsType<ResponseAgentCacheControlTransform>(t),
            t => Assert.IsType<ResponseSetCookieScopeTransform>(t));
        Assert.Empty(context.ResponseTrailersTransforms);
    }

    [Fact]
    public void AddFingerprintProxyTransforms_Context_TurnsOffDefaultForwardersAndCopiesHeaders()
    {
        var context = new TransformBuilderContext { UseDefaultForwarders = true, CopyRequestHeaders = false, CopyResponseHeaders = false };

        var returned = context.AddFingerprintProxyTransforms(Options());

        Assert.Same(context, returned);
        Assert.False(context.UseDefaultForwarders);
        Assert.True(context.CopyRequestHeaders);
        Assert.True(context.CopyResponseHeaders);
    }

    [Fact]
    public void AddFingerprintProxyTransforms_Options_ReachTheTransforms()
    {
        var integration = new IntegrationInfo("fingerprint-pro-aws-dotnet-proxy", "0.1.0");
        Func<HttpContext, string?> secret = _ => "s3cr3t";
        var suffixes = PublicSuffixList.Default;

        var context = new TransformBuilderContext().AddFingerprintProxyTransforms(new FingerprintTransformOptions
        {
            Integration = integration,
            ProxySecret = secret,
            RemovedRequestHeaders = ["x-origin-verify"],
            PublicSuffixes = suffixes,
        });

        Assert.Same(integration, context.RequestTransforms.OfType<RequestIntegrationInfoTransform>().Single().Integration);
        Assert.Same(secret, context.RequestTransforms.OfType<RequestProxySecretTransform>().Single().Secret);
        Assert.Equal(["x-origin-verify"], context.RequestTransforms.OfType<RequestPlatformHeadersRemovalTransform>().Single().AdditionalHeaders);
        Assert.Equal("_iidt", context.RequestTransforms.OfType<RequestCookieFilterTransform>().Single().CookieName);
        Assert.Same(suffixes, context.ResponseTransforms.OfType<ResponseSetCookieScopeTransform>().Single().Suffixes);
    }

    [Fact]
    public void FingerprintTransformOptions_Defaults_AreSafe()
    {
        var options = Options();

        Assert.Empty(options.RemovedRequestHeaders);
        Assert.Same(PublicSuffixList.Default, options.PublicSuffixes);
    }

    [Fact]
    public void AddFingerprintProxyTransforms_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => FingerprintTransformExtensions.AddFingerprintProxyTransforms(null!, Options()));
        Assert.Throws<ArgumentNullException>(() => new TransformBuilderContext().AddFingerprintProxyTransforms(null!));
    }

    [Theory]
    [InlineData(200, "text/html")]
    [InlineData(200, "text/javascript; charset=utf-8")]
    [InlineData(301, "text/html")]
    [InlineData(403, "application/json")]
    [InlineData(500, "application/json")]
    public async Task ResponsePipeline_AnyResponse_RemovesHstsAndCacheTag(int status, string contentType)
    {
        using var upstream = UpstreamResponse((HttpStatusCode)status, contentType);
        upstream.Headers.TryAddWithoutValidation("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload");
        upstream.Headers.TryAddWithoutValidation("Cache-Tag", "fpjs-agent,fpjs-agent-v3");
        upstream.Headers.TryAddWithoutValidation("cache-tag", "second");
        upstream.Headers.TryAddWithoutValidation("X-Custom", "kept");
        upstream.Headers.TryAddWithoutValidation("Vary", "Origin");
        var httpContext = new DefaultHttpContext();

        await Pipeline().TransformResponseAsync(httpContext, upstream, CancellationToken.None);

        var headers = httpContext.Response.Headers;
        Assert.False(headers.ContainsKey("Strict-Transport-Security"));
        Assert.False(headers.ContainsKey("Cache-Tag"));
        Assert.Equal("kept", headers["X-Custom"]);
        Assert.Equal("Origin", headers.Vary);
        Assert.Equal(contentType, headers.ContentType);
    }

    [Fact]
    public async Task ResponsePipeline_AgentResponse_CapsCachingAndKeepsCookiesFirstParty()
    {
        using var upstream = UpstreamResponse(HttpStatusCode.OK, "text/javascript; charset=utf-8");
        upstream.Headers.TryAddWithoutValidation("Cache-Control", "public, max-age=7200");
        upstream.Headers.TryAddWithoutValidation("Strict-Transport-Security", "max-age=63072000");
        upstream.Headers.TryAddWithoutValidation("Cache-Tag", "fpjs-agent");
        upstream.Headers.TryAddWithoutValidation("Set-Cookie", ["_iidt=a; Domain=fpjs.io; Path=/", "b=2; Domain=example.com"]);
        upstream.Headers.TryAddWithoutValidation("ETag", "\"abc\"");
        var httpContext = new DefaultHttpContext();
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));

        await Pipeline().TransformResponseAsync(httpContext, upstream, CancellationToken.None);

        var headers = httpContext.Response.Headers;
        Assert.Equal("public, max-age=3600, s-maxage=60", headers.CacheControl);
        Assert.Equal(["_iidt=a; Domain=example.com; Path=/", "b=2; Domain=example.com"], headers.SetCookie.Values());
        Assert.False(headers.ContainsKey("Strict-Transport-Security"));
        Assert.False(headers.ContainsKey("Cache-Tag"));
        Assert.Equal("\"abc\"", headers.ETag);
        Assert.Equal("text/javascript; charset=utf-8", headers.ContentType);
    }

    [Fact]
    public async Task ResponsePipeline_BrowserCacheResponse_KeepsCacheControl()
    {
        using var upstream = UpstreamResponse(HttpStatusCode.OK, "image/gif");
        upstream.Headers.TryAddWithoutValidation("Cache-Control", "max-age=31536000, immutable, private");
        var httpContext = new DefaultHttpContext();

        await Pipeline().TransformResponseAsync(httpContext, upstream, CancellationToken.None);

        Assert.Equal("max-age=31536000, immutable, private", httpContext.Response.Headers.CacheControl);
    }

    [Fact]
    public async Task RequestPipeline_IdentificationPost_ForwardsWhatTheContractSays()
    {
        var httpContext = TransformTestContext.HttpContext(
            "POST",
            ("User-Agent", UserAgent),
            ("sec-ch-ua", SecChUa),
            ("Accept-Language", "en-US,en;q=0.9"),
            ("Content-Type", "text/plain"),
            ("Origin", "https://www.example.com"),
            ("Cookie", "session=s3cr3t; _iidt=7s2Ydo9K+XwZQw==; theme=dark"),
            ("X-Custom", "c"),
            ("X-Forwarded-For", "8.8.8.8"),
            ("X-Real-IP", "8.8.8.8"),
            ("x-amz-date", "20260101T000000Z"),
            ("x-origin-verify", "origin-secret"),
            ("Connection", "keep-alive, X-Hop"),
            ("X-Hop", "1"),
            ("FPJS-Proxy-Secret", "forged"),
            ("FPJS-Proxy-Client-IP", "8.8.8.8"),
            ("FPJS-Proxy-Forwarded-Host", "evil.example"));
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        httpContext.Features.Set(new ForwardTarget("https://eu.api.fpjs.io", "/", "?ci=js%2F3.12.15&ii=fingerprintjs-pro-react%2F2.6.3&q=%7e"));

        var request = await Pipeline(secret: "s3cr3t", removed: ["x-origin-verify"]).ProxyRequestAsync(httpContext);

        Assert.Equal(
            new[]
            {
                "Accept-Language", "Content-Type", "Cookie", "FPJS-Proxy-Client-IP", "FPJS-Proxy-Forwarded-Host", "FPJS-Proxy-Secret",
                "Origin", "sec-ch-ua", "User-Agent", "X-Custom",
            }.Order(StringComparer.OrdinalIgnoreCase),
            request.HeaderNames(),
            StringComparer.OrdinalIgnoreCase);
        Assert.Equal(["_iidt=7s2Ydo9K+XwZQw=="], request.Header("Cookie"));
        Assert.Equal(["s3cr3t"], request.Header("FPJS-Proxy-Secret"));
        Assert.Equal(["203.0.113.7"], request.Header("FPJS-Proxy-Client-IP"));
        Assert.Equal(["www.example.com"], request.Header("FPJS-Proxy-Forwarded-Host"));
        Assert.Equal([UserAgent], request.Header("User-Agent"));
        Assert.Equal([SecChUa], request.Header("sec-ch-ua"));
        Assert.Equal(
            "https://eu.api.fpjs.io/?ci=js%2F3.12.15&ii=fingerprintjs-pro-react%2F2.6.3&q=%7e&" + Ii,
            request.RequestUri!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(Methods.NonPost), MemberType = typeof(Methods))]
    public async Task RequestPipeline_OtherMethod_DropsCookiesAndAddsNothing(string method)
    {
        var httpContext = TransformTestContext.HttpContext(
            method,
            ("User-Agent", UserAgent),
            ("Cookie", "_iidt=abc; session=s"),
            ("FPJS-Proxy-Secret", "forged"),
            ("FPJS-Proxy-Client-IP", "8.8.8.8"),
            ("X-Custom", "c"));
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        httpContext.Features.Set(new ForwardTarget("https://api.fpjs.io", "/browser-cache/abc", "?x=%7e"));

        var request = await Pipeline(secret: "s3cr3t").ProxyRequestAsync(httpContext);

        Assert.Equal(new[] { "User-Agent", "X-Custom" }, request.HeaderNames(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("https://api.fpjs.io/browser-cache/abc?x=%7e", request.RequestUri!.OriginalString);
    }

    [Fact]
    public async Task RequestPipeline_PostWithoutViewerContextOrSecret_ForwardsNoProxyHeaderTheClientSent()
    {
        var httpContext = TransformTestContext.HttpContext(
            "POST",
            ("FPJS-Proxy-Secret", "forged"),
            ("FPJS-Proxy-Client-IP", "8.8.8.8"),
            ("FPJS-Proxy-Forwarded-Host", "evil.example"));
        httpContext.Features.Set(new ForwardTarget("https://api.fpjs.io", "/", ""));

        var request = await Pipeline(secret: null).ProxyRequestAsync(httpContext);

        Assert.Empty(request.HeaderNames());
        Assert.Equal("https://api.fpjs.io/?" + Ii, request.RequestUri!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(ClientHeaders.ForwardingOnEveryMethod), MemberType = typeof(ClientHeaders))]
    public async Task RequestPipeline_ClientForwardingHeader_NeverReachesFingerprint(string name, string value, string method)
    {
        var request = await ProxyRequestAsync(method, (name, value), ("X-Custom", "kept"));

        Assert.Null(request.Header(name));
        Assert.Equal(["kept"], request.Header("X-Custom"));
        if (HttpMethods.IsPost(method))
        {
            Assert.Equal(["203.0.113.7"], request.Header("FPJS-Proxy-Client-IP"));
        }
    }

    [Theory]
    [MemberData(nameof(ClientHeaders.DroppedByYarp), MemberType = typeof(ClientHeaders))]
    public async Task RequestPipeline_HopByHopHeaderYarpDrops_IsNotForwarded(string name, string value)
    {
        var request = await ProxyRequestAsync("POST", (name, value), ("X-Custom", "kept"));

        Assert.Null(request.Header(name));
        Assert.Equal(["kept"], request.Header("X-Custom"));
    }

    [Theory]
    [InlineData("keep-alive, X-Hop")]
    [InlineData("X-Hop")]
    [InlineData("close, x-hop")]
    public async Task RequestPipeline_HeaderNamedInConnection_IsNotForwarded(string connection)
    {
        var request = await ProxyRequestAsync("POST", ("Connection", connection), ("X-Hop", "1"), ("X-Custom", "kept"));

        Assert.Null(request.Header("X-Hop"));
        Assert.Null(request.Header("Connection"));
        Assert.Equal(["kept"], request.Header("X-Custom"));
    }

    [Theory]
    [MemberData(nameof(ClientHeaders.Hosts), MemberType = typeof(ClientHeaders))]
    public async Task RequestPipeline_AnyClientHost_BuildsRequestWithoutHostHeader(string[] hosts)
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Request.Headers.Host = hosts;
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        httpContext.Features.Set(new ForwardTarget("https://eu.api.fpjs.io", "/", ""));

        var request = await Pipeline().ProxyRequestAsync(httpContext);

        Assert.Null(request.Header("Host"));
        Assert.Equal("eu.api.fpjs.io", request.RequestUri!.Authority);
    }

    [Theory]
    [MemberData(nameof(ClientHeaders.Hosts), MemberType = typeof(ClientHeaders))]
    public async Task RequestPipeline_AnyClientHost_SendsExactlyOneHostTheUpstreams(string[] hosts)
    {
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        var origin = "http://127.0.0.1:" + ((IPEndPoint)upstream.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var httpContext = TransformTestContext.HttpContext("GET");
        httpContext.Request.Headers.Host = hosts;
        httpContext.Features.Set(new ForwardTarget(origin, "/", ""));
        using var request = await Pipeline().ProxyRequestAsync(httpContext);

        var head = await SendAndCaptureHeadAsync(upstream, request);

        var hostLines = head.Split("\r\n").Where(line => line.StartsWith("host:", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["Host: " + new Uri(origin).Authority], hostLines);
    }

    private static FingerprintTransformOptions Options(string? secret = null, string[]? removed = null) => new()
    {
        Integration = new IntegrationInfo("fingerprint-pro-aws-dotnet-proxy", "0.1.0"),
        ProxySecret = _ => secret,
        RemovedRequestHeaders = removed ?? [],
    };

    private static TransformBuilderContext Build() => new TransformBuilderContext().AddFingerprintProxyTransforms(Options());

    private static HttpTransformer Pipeline(string? secret = "s3cr3t", string[]? removed = null) => TransformTestContext.Pipeline(Options(secret, removed));

    /// <summary>The upstream request for a request from the viewer 203.0.113.7 at www.example.com.</summary>
    private static Task<HttpRequestMessage> ProxyRequestAsync(string method, params (string Name, string Value)[] headers)
    {
        var httpContext = TransformTestContext.HttpContext(method, headers);
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        httpContext.Features.Set(new ForwardTarget("https://api.fpjs.io", "/", ""));
        return Pipeline().ProxyRequestAsync(httpContext);
    }

    private static HttpResponseMessage UpstreamResponse(HttpStatusCode status, string contentType)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent([]) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return response;
    }

    /// <summary>
    /// Sends <paramref name="request"/> with the HTTP client YARP uses and returns the request head as it
    /// arrived on the socket; answers 204 so that the client completes.
    /// </summary>
    private static async Task<string> SendAndCaptureHeadAsync(TcpListener upstream, HttpRequestMessage request)
    {
        using var client = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        var sending = client.SendAsync(request, CancellationToken.None);
        var accepting = upstream.AcceptSocketAsync();
        if (await Task.WhenAny(sending, accepting) == sending)
        {
            // The client gave up before connecting: surface its exception.
            (await sending).Dispose();
            Assert.Fail("The request completed without reaching the upstream.");
        }

        using var socket = await accepting;
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None);
            Assert.NotEqual(0, count);
            received.Append(Encoding.ASCII.GetString(buffer, 0, count));
        }

        await socket.SendAsync("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None);
        using var response = await sending;
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return received.ToString();
    }
}
