namespace FingerprintProxy.Transforms.Tests;

/// <summary>The value of <c>FPJS-Proxy-Client-IP</c>; what it shares with the other header transforms is in <see cref="RequestPostHeaderTransformTests"/>.</summary>
public class RequestClientIpTransformTests
{
    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("1.1.1.1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:85a3::8a2e:370:7334")]
    [InlineData("::1")]
    public async Task Post_WithViewerIp_SendsIt(string ip)
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Features.Set(new ViewerContext(ip, "www.example.com"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestClientIpTransform().ApplyAsync(context);

        Assert.Equal([ip], context.ProxyHeader("FPJS-Proxy-Client-IP"));
    }

    [Fact]
    public async Task Post_NoViewerContext_SendsNoHeader()
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("198.51.100.1");
        var context = TransformTestContext.Request(httpContext);

        await new RequestClientIpTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("FPJS-Proxy-Client-IP"));
    }
}
