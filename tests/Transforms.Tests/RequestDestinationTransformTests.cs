namespace FingerprintProxy.Transforms.Tests;

public class RequestDestinationTransformTests
{
    [Theory]
    [InlineData("https://api.fpjs.io", "/", "", "https://api.fpjs.io/")]
    [InlineData("https://eu.api.fpjs.io", "/", "?region=eu", "https://eu.api.fpjs.io/?region=eu")]
    [InlineData("https://api.fpjs.io", "/web/v3/K/loader_v3.12.15.js", "?apiKey=K&version=3&loaderVersion=3.12.15", "https://api.fpjs.io/web/v3/K/loader_v3.12.15.js?apiKey=K&version=3&loaderVersion=3.12.15")]
    [InlineData("https://api.fpjs.io", "/a%41/%7e|x", "?q=%41&r=|{}", "https://api.fpjs.io/a%41/%7e|x?q=%41&r=|{}")]
    [InlineData("https://api.fpjs.io", "/%7E/%2f/%2F/%25/%20", "?a=%7e%7E&b=a+b", "https://api.fpjs.io/%7E/%2f/%2F/%25/%20?a=%7e%7E&b=a+b")]
    [InlineData("https://api.fpjs.io", "/a/./b/../c", "", "https://api.fpjs.io/a/./b/../c")]
    [InlineData("https://api.fpjs.io", "/a//b/", "?", "https://api.fpjs.io/a//b/?")]
    [InlineData("https://api.fpjs.io", "/browser-cache/x", "?a=[1]&b=^`", "https://api.fpjs.io/browser-cache/x?a=[1]&b=^`")]
    [InlineData("http://127.0.0.1:5005", "/web/v4/key", "?ii=x&", "http://127.0.0.1:5005/web/v4/key?ii=x&")]
    public async Task Apply_ForwardTarget_KeepsPathAndQueryBytes(string origin, string path, string query, string expected)
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        httpContext.Features.Set(new ForwardTarget(origin, path, query));
        var context = TransformTestContext.Request(httpContext);

        await new RequestDestinationTransform().ApplyAsync(context);

        var uri = context.ProxyRequest.RequestUri;
        Assert.NotNull(uri);
        Assert.Equal(expected, uri.OriginalString);
        // What SocketsHttpHandler writes as the request target.
        Assert.Equal(path + query, uri.PathAndQuery);
        Assert.Equal(new Uri(origin).Authority, uri.Authority);
        Assert.Equal(new Uri(origin).Scheme, uri.Scheme);
    }

    [Fact]
    public async Task Apply_QueryChangedByEarlierTransform_UsesTheChangedQuery()
    {
        var httpContext = TransformTestContext.HttpContext("POST");
        var target = new ForwardTarget("https://api.fpjs.io", "/", "?a=%7e");
        httpContext.Features.Set(target);
        var context = TransformTestContext.Request(httpContext);

        await new RequestIntegrationInfoTransform(new IntegrationInfo("proxy", "1.0.0")).ApplyAsync(context);
        await new RequestDestinationTransform().ApplyAsync(context);

        Assert.Equal("/?a=%7e&ii=proxy%2F1.0.0%2Fingress", context.ProxyRequest.RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task Apply_IgnoresYarpPathAndQuery()
    {
        var httpContext = TransformTestContext.HttpContext("GET");
        httpContext.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?decoded=~");
        httpContext.Features.Set(new ForwardTarget("https://api.fpjs.io", "/upstream", "?raw=%7e"));
        var context = TransformTestContext.Request(httpContext);

        await new RequestDestinationTransform().ApplyAsync(context);

        Assert.Equal("https://api.fpjs.io/upstream?raw=%7e", context.ProxyRequest.RequestUri!.OriginalString);
    }

    [Fact]
    public async Task Apply_NoForwardTarget_Throws()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("GET"));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await new RequestDestinationTransform().ApplyAsync(context));
    }
}
