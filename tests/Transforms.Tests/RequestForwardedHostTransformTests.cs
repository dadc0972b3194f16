namespace FingerprintProxy.Transforms.Tests;

/// <summary>The value of <c>FPJS-Proxy-Forwarded-Host</c>; what it shares with the other header transforms is in <see cref="RequestPostHeaderTransformTests"/>.</summary>
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
    public async Task Post_WithViewerHost_SendsIt(string host)
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Features.Set(new ViewerContext("203.0.113.7", host));
        var context = TransformTestContext.Request(httpContext);

        await new RequestForwardedHostTransform().ApplyAsync(context);

        Assert.Equal([host], context.ProxyHeader("FPJS-Proxy-Forwarded-Host"));
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
}
