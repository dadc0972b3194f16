namespace FingerprintProxy.Transforms.Tests;

public class RequestIntegrationInfoTransformTests
{
    private const string Ii = "ii=fingerprint-pro-aws-dotnet-proxy%2F0.1.0%2Fingress";

    private static readonly IntegrationInfo Integration = new("fingerprint-pro-aws-dotnet-proxy", "0.1.0");

    [Theory]
    [InlineData("", "?" + Ii)]
    [InlineData("?", "?" + Ii)]
    [InlineData("?a=1", "?a=1&" + Ii)]
    [InlineData("?a=1&", "?a=1&" + Ii)]
    [InlineData("?a=1&&", "?a=1&&" + Ii)]
    [InlineData("?&", "?&" + Ii)]
    [InlineData("?flag", "?flag&" + Ii)]
    // The client's own ii (the agent's) stays first and unchanged.
    [InlineData("?ii=fingerprintjs-pro-react%2F2.6.3%2Fnext%2F14", "?ii=fingerprintjs-pro-react%2F2.6.3%2Fnext%2F14&" + Ii)]
    [InlineData("?ci=js%2F3.12.15&ii=custom&q=1", "?ci=js%2F3.12.15&ii=custom&q=1&" + Ii)]
    [InlineData("?ii=a&ii=b", "?ii=a&ii=b&" + Ii)]
    // The rest of the query keeps its bytes: no decoding, no re-encoding, no normalising.
    [InlineData("?a=%7e&b=%7E", "?a=%7e&b=%7E&" + Ii)]
    [InlineData("?q=a+b&r=a%20b", "?q=a+b&r=a%20b&" + Ii)]
    [InlineData("?x=a|b&y={}&z=[1]", "?x=a|b&y={}&z=[1]&" + Ii)]
    [InlineData("?k=%41%2f%2F%25", "?k=%41%2f%2F%25&" + Ii)]
    [InlineData("?e=&=v", "?e=&=v&" + Ii)]
    [InlineData("?u=\u00e9", "?u=\u00e9&" + Ii)]
    public async Task Post_Query_AppendsIiAfterTheQuery(string query, string expected)
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        var target = new ForwardTarget("https://api.fpjs.io", "/", query);
        httpContext.Features.Set(target);
        var context = TransformTestContext.Request(httpContext);

        await new RequestIntegrationInfoTransform(Integration).ApplyAsync(context);

        Assert.Equal(expected, target.Query);
    }

    [Theory]
    [MemberData(nameof(Methods.Post), MemberType = typeof(Methods))]
    public async Task PostInAnyCase_Query_AppendsIi(string method)
    {
        var httpContext = TransformTestContext.HttpContext(method);
        var target = new ForwardTarget("https://api.fpjs.io", "/", "?a=1");
        httpContext.Features.Set(target);
        var context = TransformTestContext.Request(httpContext);

        await new RequestIntegrationInfoTransform(Integration).ApplyAsync(context);

        Assert.Equal("?a=1&" + Ii, target.Query);
    }

    [Theory]
    [MemberData(nameof(Methods.NonPost), MemberType = typeof(Methods))]
    public async Task NonPost_Query_LeftUnchanged(string method)
    {
        const string query = "?a=%7e&ii=x";
        var httpContext = TransformTestContext.HttpContext(method);
        var target = new ForwardTarget("https://api.fpjs.io", "/", query);
        httpContext.Features.Set(target);
        var context = TransformTestContext.Request(httpContext);

        await new RequestIntegrationInfoTransform(Integration).ApplyAsync(context);

        Assert.Same(query, target.Query);
    }

    [Fact]
    public async Task Post_NoForwardTarget_DoesNothing()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST"));

        await new RequestIntegrationInfoTransform(Integration).ApplyAsync(context);

        Assert.Null(context.HttpContext.Features.Get<ForwardTarget>());
        Assert.Null(context.ProxyRequest.RequestUri);
    }

    [Fact]
    public async Task Post_Query_DoesNotTouchYarpQueryOrPath()
    {
        // The raw ForwardTarget query is the only one sent; YARP's decoded query must not be the channel.
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?a=1");
        httpContext.Features.Set(new ForwardTarget("https://api.fpjs.io", "/", "?a=1"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestIntegrationInfoTransform(Integration).ApplyAsync(context);

        Assert.Equal("?a=1", context.Query.QueryString.Value);
        Assert.Equal("/fpjs/result", context.Path.Value);
    }

    [Fact]
    public void Constructor_NullIntegration_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RequestIntegrationInfoTransform(null!));
    }
}
