namespace FingerprintProxy.Transforms.Tests;

public class RequestClientIpTransformTests
{
    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("1.1.1.1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:85a3::8a2e:370:7334")]
    [InlineData("::1")]
    public async Task Post_WithViewerIp_AddsClientIpHeader(string ip)
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Features.Set(new ViewerContext(ip, "www.example.com"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestClientIpTransform().ApplyAsync(context);

        Assert.Equal([ip], context.ProxyHeader("FPJS-Proxy-Client-IP"));
    }

    [Theory]
    [InlineData("FPJS-Proxy-Client-IP")]
    [InlineData("fpjs-proxy-client-ip")]
    public async Task Post_ClientSentClientIp_ReplacesIt(string clientHeaderName)
    {
        var httpContext = TransformTestContext.HttpContext("POST", (clientHeaderName, "8.8.8.8"));
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestClientIpTransform().ApplyAsync(context);

        Assert.Equal(["203.0.113.7"], context.ProxyHeader("FPJS-Proxy-Client-IP"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Post_ViewerIpUnknown_SendsNoHeader(string? ip)
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Features.Set(new ViewerContext(ip, "www.example.com"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestClientIpTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("FPJS-Proxy-Client-IP"));
    }

    [Fact]
    public async Task Post_NoViewerContext_SendsNoHeader()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST"));

        await new RequestClientIpTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("FPJS-Proxy-Client-IP"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    public async Task NonPost_WithViewerIp_SendsNoHeader(string method)
    {
        var httpContext = TransformTestContext.HttpContext(method);
        httpContext.Features.Set(new ViewerContext("203.0.113.7", "www.example.com"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestClientIpTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("FPJS-Proxy-Client-IP"));
    }
}
