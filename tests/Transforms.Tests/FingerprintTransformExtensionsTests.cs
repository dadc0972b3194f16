using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace FingerprintProxy.Transforms.Tests;

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
            // Its header name and condition are internal to YARP: ResponseTransforms_AnyResponse_RemoveHsts checks them.
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
        Func<Microsoft.AspNetCore.Http.HttpContext, string?> secret = _ => "s3cr3t";
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
    public async Task ResponseTransforms_AnyResponse_RemoveHsts(int status, string contentType)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Response.StatusCode = status;
        httpContext.Response.Headers.ContentType = contentType;
        httpContext.Response.Headers.StrictTransportSecurity = "max-age=63072000; includeSubDomains; preload";
        httpContext.Response.Headers["X-Custom"] = "kept";
        var responseContext = TransformTestContext.Response(httpContext);
        responseContext.ProxyResponse!.StatusCode = (System.Net.HttpStatusCode)status;

        await ApplyResponseAsync(Build(), responseContext);

        Assert.False(httpContext.Response.Headers.ContainsKey("Strict-Transport-Security"));
        Assert.Equal("kept", httpContext.Response.Headers["X-Custom"]);
    }

    [Fact]
    public async Task ResponseTransforms_AgentResponse_CapsCachingAndKeepsCookiesFirstParty()
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        httpContext.Response.Headers.ContentType = "text/javascript; charset=utf-8";
        httpContext.Response.Headers.CacheControl = "public, max-age=7200";
        httpContext.Response.Headers.StrictTransportSecurity = "max-age=63072000";
        httpContext.Response.Headers.SetCookie = new(["_iidt=a; Domain=fpjs.io; Path=/", "b=2; Domain=example.com"]);
        httpContext.Response.Headers.ETag = "\"abc\"";

        await ApplyResponseAsync(Build(), TransformTestContext.Response(httpContext));

        var headers = httpContext.Response.Headers;
        Assert.Equal("public, max-age=3600, s-maxage=60", headers.CacheControl);
        Assert.Equal(["_iidt=a; Domain=example.com; Path=/", "b=2; Domain=example.com"], headers.SetCookie.Values());
        Assert.False(headers.ContainsKey("Strict-Transport-Security"));
        Assert.Equal("\"abc\"", headers.ETag);
        Assert.Equal("text/javascript; charset=utf-8", headers.ContentType);
    }

    [Fact]
    public async Task ResponseTransforms_BrowserCacheResponse_KeepsCacheControl()
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Response.Headers.ContentType = "image/gif";
        httpContext.Response.Headers.CacheControl = "max-age=31536000, immutable, private";

        await ApplyResponseAsync(Build(), TransformTestContext.Response(httpContext));

        Assert.Equal("max-age=31536000, immutable, private", httpContext.Response.Headers.CacheControl);
    }

    [Fact]
    public async Task RequestTransforms_IdentificationPost_ForwardsWhatTheContractSays()
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
            ("x-amz-date", "20260101T000000Z"),
            ("x-origin-verify", "origin-secret"),
            ("FPJS-Proxy-Secret", "forged"),
            ("FPJS-Proxy-Client-IP", "8.8.8.8"),
            ("FPJS-Proxy-Forwarded-Host", "evil.example"));
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        httpContext.Features.Set(new ForwardTarget("https://eu.api.fpjs.io", "/", "?ci=js%2F3.12.15&ii=fingerprintjs-pro-react%2F2.6.3&q=%7e"));
        var context = TransformTestContext.Request(httpContext);

        await ApplyRequestAsync(Build(secret: "s3cr3t", removed: ["x-origin-verify"]), context);

        Assert.Equal(
            new[]
            {
                "Accept-Language", "Content-Type", "Cookie", "FPJS-Proxy-Client-IP", "FPJS-Proxy-Forwarded-Host", "FPJS-Proxy-Secret",
                "Origin", "sec-ch-ua", "User-Agent", "X-Custom",
            }.Order(StringComparer.OrdinalIgnoreCase),
            context.ProxyHeaderNames().Order(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
        Assert.Equal(["_iidt=7s2Ydo9K+XwZQw=="], context.ProxyHeader("Cookie"));
        Assert.Equal(["s3cr3t"], context.ProxyHeader("FPJS-Proxy-Secret"));
        Assert.Equal(["203.0.113.7"], context.ProxyHeader("FPJS-Proxy-Client-IP"));
        Assert.Equal(["www.example.com"], context.ProxyHeader("FPJS-Proxy-Forwarded-Host"));
        Assert.Equal([UserAgent], context.ProxyHeader("User-Agent"));
        Assert.Equal([SecChUa], context.ProxyHeader("sec-ch-ua"));
        Assert.Equal(
            "https://eu.api.fpjs.io/?ci=js%2F3.12.15&ii=fingerprintjs-pro-react%2F2.6.3&q=%7e&" + Ii,
            context.ProxyRequest.RequestUri!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(Methods.NonPost), MemberType = typeof(Methods))]
    public async Task RequestTransforms_OtherMethod_DropsCookiesAndAddsNothing(string method)
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
        var context = TransformTestContext.Request(httpContext);

        await ApplyRequestAsync(Build(secret: "s3cr3t"), context);

        Assert.Equal(
            new[] { "User-Agent", "X-Custom" },
            context.ProxyHeaderNames().Order(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
        Assert.Equal("https://api.fpjs.io/browser-cache/abc?x=%7e", context.ProxyRequest.RequestUri!.OriginalString);
    }

    [Fact]
    public async Task RequestTransforms_PostWithoutViewerContextOrSecret_ForwardsNoProxyHeaderTheClientSent()
    {
        var httpContext = TransformTestContext.HttpContext(
            "POST",
            ("FPJS-Proxy-Secret", "forged"),
            ("FPJS-Proxy-Client-IP", "8.8.8.8"),
            ("FPJS-Proxy-Forwarded-Host", "evil.example"));
        httpContext.Features.Set(new ForwardTarget("https://api.fpjs.io", "/", ""));
        var context = TransformTestContext.Request(httpContext);

        await ApplyRequestAsync(Build(secret: null), context);

        Assert.Empty(context.ProxyHeaderNames());
        Assert.Equal("https://api.fpjs.io/?" + Ii, context.ProxyRequest.RequestUri!.OriginalString);
    }

    private static FingerprintTransformOptions Options(string? secret = null, string[]? removed = null) => new()
    {
        Integration = new IntegrationInfo("fingerprint-pro-aws-dotnet-proxy", "0.1.0"),
        ProxySecret = _ => secret,
        RemovedRequestHeaders = removed ?? [],
    };

    private static TransformBuilderContext Build(string? secret = null, string[]? removed = null)
        => new TransformBuilderContext().AddFingerprintProxyTransforms(Options(secret, removed));

    private static async Task ApplyRequestAsync(TransformBuilderContext builder, RequestTransformContext context)
    {
        foreach (var transform in builder.RequestTransforms)
        {
            await transform.ApplyAsync(context);
        }
    }

    private static async Task ApplyResponseAsync(TransformBuilderContext builder, ResponseTransformContext context)
    {
        foreach (var transform in builder.ResponseTransforms)
        {
            await transform.ApplyAsync(context);
        }
    }
}
