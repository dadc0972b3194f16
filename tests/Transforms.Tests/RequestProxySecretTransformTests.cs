namespace FingerprintProxy.Transforms.Tests;

public class RequestProxySecretTransformTests
{
    [Fact]
    public async Task Post_WithSecret_AddsProxySecretHeader()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST"));

        await new RequestProxySecretTransform(_ => "s3cr3t-Value_1").ApplyAsync(context);

        Assert.Equal(["s3cr3t-Value_1"], context.ProxyHeader("FPJS-Proxy-Secret"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Post_NoSecretConfigured_SendsNoHeader(string? secret)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST"));

        await new RequestProxySecretTransform(_ => secret).ApplyAsync(context);

        Assert.Null(context.ProxyHeader("FPJS-Proxy-Secret"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    public async Task NonPost_WithSecret_SendsNoHeader(string method)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(method));

        await new RequestProxySecretTransform(_ => "s3cr3t").ApplyAsync(context);

        Assert.Null(context.ProxyHeader("FPJS-Proxy-Secret"));
    }

    [Theory]
    [InlineData("FPJS-Proxy-Secret")]
    [InlineData("fpjs-proxy-secret")]
    [InlineData("FPJS-PROXY-SECRET")]
    public async Task Post_ClientSentSecret_ReplacesIt(string clientHeaderName)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", (clientHeaderName, "forged")));

        await new RequestProxySecretTransform(_ => "s3cr3t").ApplyAsync(context);

        Assert.Equal(["s3cr3t"], context.ProxyHeader("FPJS-Proxy-Secret"));
    }

    [Fact]
    public async Task Post_SecretIsReadForTheRequestBeingForwarded()
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Items["secret"] = "per-request-secret";
        var context = TransformTestContext.Request(httpContext);

        await new RequestProxySecretTransform(c => (string?)c.Items["secret"]).ApplyAsync(context);

        Assert.Equal(["per-request-secret"], context.ProxyRequest.Headers.NonValidated["FPJS-Proxy-Secret"]);
    }

    [Fact]
    public async Task Post_SecretChangesBetweenRequests_EachRequestGetsTheSecretInForce()
    {
        var current = "first";
        var calls = 0;
        var transform = new RequestProxySecretTransform(_ =>
        {
            calls++;
            return current;
        });

        var first = TransformTestContext.Request(TransformTestContext.HttpContext("POST"));
        await transform.ApplyAsync(first);
        current = "second";
        var second = TransformTestContext.Request(TransformTestContext.HttpContext("POST"));
        await transform.ApplyAsync(second);
        current = null;
        var third = TransformTestContext.Request(TransformTestContext.HttpContext("POST"));
        await transform.ApplyAsync(third);

        Assert.Equal(["first"], first.ProxyHeader("FPJS-Proxy-Secret"));
        Assert.Equal(["second"], second.ProxyHeader("FPJS-Proxy-Secret"));
        Assert.Null(third.ProxyHeader("FPJS-Proxy-Secret"));
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Post_WithSecret_LeavesOtherHeadersAlone()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", ("X-Custom", "a, b"), ("Content-Type", "text/plain")));

        await new RequestProxySecretTransform(_ => "s3cr3t").ApplyAsync(context);

        Assert.Equal(["a, b"], context.ProxyHeader("X-Custom"));
        Assert.Equal(["text/plain"], context.ProxyHeader("Content-Type"));
        Assert.Equal(3, context.ProxyHeaderNames().Length);
    }

    [Fact]
    public void Constructor_NullSecretFunction_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RequestProxySecretTransform(null!));
    }
}
