namespace FingerprintProxy.Transforms.Tests;

public class RequestForwardedHostTransformTests
{
    [Theory]
    [InlineData("www.example.com")]
    [InlineData("example.com")]
    [InlineData("shop.example.co.uk")]
    [InlineData("metrics.example.com")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("localhost")]
    [InlineData("203.0.113.7")]
    public async Task Post_WithViewerHost_AddsForwardedHostHeader(string host)
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Features.Set(new ViewerContext("203.0.113.7", host));
        var context = TransformTestContext.Request(httpContext);

        await new RequestForwardedHostTransform().ApplyAsync(context);

        Assert.Equal([host], context.ProxyHeader("FPJS-Proxy-Forwarded-Host"));
    }

    [Theory]
    [InlineData("FPJS-Proxy-Forwarded-Host")]
    [InlineData("fpjs-proxy-forwarded-host")]
    public async Task Post_ClientSentForwardedHost_ReplacesIt(string clientHeaderName)
    {
        var httpContext = TransformTestContext.HttpContext("POST", (clientHeaderName, "evil.example"));
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestForwardedHostTransform().ApplyAsync(context);

        Assert.Equal(["www.example.com"], context.ProxyHeader("FPJS-Proxy-Forwarded-Host"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Post_ViewerHostUnknown_SendsNoHeader(string? host)
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Features.Set(new ViewerContext("203.0.113.7", host));
        var context = TransformTestContext.Request(httpContext);

        await new RequestForwardedHostTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("FPJS-Proxy-Forwarded-Host"));
    }

    [Fact]
    public async Task Post_NoViewerContext_SendsNoHeader()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST"));

        await new RequestForwardedHostTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("FPJS-Proxy-Forwarded-Host"));
    }

    [Fact]
    public async Task Post_WithViewerHost_DoesNotUseRequestHost()
    {
        // Behind an edge the request's Host is the Function URL's; only the viewer context counts.
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Request.Host = new Microsoft.AspNetCore.Http.HostString("abc123.lambda-url.us-east-1.on.aws");
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestForwardedHostTransform().ApplyAsync(context);

        Assert.Equal(["www.example.com"], context.ProxyHeader("FPJS-Proxy-Forwarded-Host"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    public async Task NonPost_WithViewerHost_SendsNoHeader(string method)
    {
        var httpContext = TransformTestContext.HttpContext(method);
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestForwardedHostTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("FPJS-Proxy-Forwarded-Host"));
    }
}
