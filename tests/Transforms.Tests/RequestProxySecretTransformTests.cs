namespace FingerprintProxy.Transforms.Tests;

/// <summary>Where <c>FPJS-Proxy-Secret</c> comes from; what it shares with the other header transforms is in <see cref="RequestPostHeaderTransformTests"/>.</summary>
public class RequestProxySecretTransformTests
{
    [Fact]
    public async Task Post_SecretIsReadForTheRequestBeingForwarded()
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Items["secret"] = "per-request-secret";
        var context = TransformTestContext.Request(httpContext);

        await new RequestProxySecretTransform(c => (string?)c.Items["secret"]).ApplyAsync(context);

        Assert.Equal(["per-request-secret"], context.ProxyHeader("FPJS-Proxy-Secret"));
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

    [Theory]
    [MemberData(nameof(Methods.NonPost), MemberType = typeof(Methods))]
    public async Task NonPost_Secret_IsNotRead(string method)
    {
        var calls = 0;
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(method));

        await new RequestProxySecretTransform(_ => (++calls).ToString(System.Globalization.CultureInfo.InvariantCulture)).ApplyAsync(context);

        Assert.Equal(0, calls);
    }

    [Fact]
    public void Constructor_Secret_IsKept()
    {
        Func<Microsoft.AspNetCore.Http.HttpContext, string?> secret = _ => "s3cr3t";

        Assert.Same(secret, new RequestProxySecretTransform(secret).Secret);
    }

    [Fact]
    public void Constructor_NullSecretFunction_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RequestProxySecretTransform(null!));
    }
}
