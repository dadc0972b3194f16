using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.Transforms.Tests;

public class ResponseAgentCacheControlTransformTests
{
    [Theory]
    [InlineData("text/javascript; charset=utf-8")]
    [InlineData("text/javascript")]
    [InlineData("application/javascript")]
    [InlineData("application/javascript; charset=UTF-8")]
    [InlineData("application/x-javascript")]
    [InlineData("application/ecmascript")]
    [InlineData("text/ecmascript")]
    [InlineData("TEXT/JAVASCRIPT")]
    [InlineData("Application/JavaScript;charset=utf-8")]
    public async Task Apply_JavaScript_CapsCacheControl(string contentType)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Response.Headers.ContentType = contentType;
        httpContext.Response.Headers.CacheControl = "public, max-age=7200";

        await new ResponseAgentCacheControlTransform().ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal(["public, max-age=3600, s-maxage=60"], httpContext.Response.Headers.CacheControl.Values());
        Assert.Equal(contentType, httpContext.Response.Headers.ContentType);
    }

    [Theory]
    [InlineData("public, max-age=31536000, s-maxage=31536000", "public, max-age=3600, s-maxage=60")]
    [InlineData("max-age=600, s-maxage=30", "max-age=600, s-maxage=30")]
    [InlineData("no-cache", "no-cache, max-age=3600, s-maxage=60")]
    [InlineData("max-age=31536000, immutable, private", "max-age=3600, immutable, private, s-maxage=60")]
    public async Task Apply_JavaScriptCacheControl_IsCapped(string cacheControl, string expected)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Response.Headers.ContentType = "text/javascript; charset=utf-8";
        httpContext.Response.Headers.CacheControl = cacheControl;

        await new ResponseAgentCacheControlTransform().ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal([expected], httpContext.Response.Headers.CacheControl.Values());
    }

    [Fact]
    public async Task Apply_JavaScriptWithSeveralCacheControlValues_CapsThemAsOneList()
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Response.Headers.ContentType = "application/javascript";
        httpContext.Response.Headers.CacheControl = new(["public", "max-age=7200"]);

        await new ResponseAgentCacheControlTransform().ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal(["public, max-age=3600, s-maxage=60"], httpContext.Response.Headers.CacheControl.Values());
    }

    [Theory]
    [InlineData("text/javascript; charset=utf-8")]
    [InlineData("application/json")]
    public async Task Apply_NoCacheControl_StaysAbsent(string contentType)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Response.Headers.ContentType = contentType;

        await new ResponseAgentCacheControlTransform().ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.False(httpContext.Response.Headers.ContainsKey("Cache-Control"));
    }

    [Theory]
    [InlineData("application/json", "public, max-age=7200")]
    [InlineData("application/json; charset=utf-8", "max-age=31536000")]
    [InlineData("text/html; charset=utf-8", "public, max-age=7200")]
    [InlineData("text/plain", "public, max-age=7200")]
    [InlineData("image/gif", "max-age=31536000, immutable, private")]
    [InlineData("application/octet-stream", "max-age=31536000, immutable, private")]
    [InlineData("application/javascript-but-not", "public, max-age=7200")]
    [InlineData("text/javascriptx", "public, max-age=7200")]
    [InlineData("image/javascript", "public, max-age=7200")]
    [InlineData("application/json+javascript", "public, max-age=7200")]
    [InlineData("javascript", "public, max-age=7200")]
    [InlineData("not a media type", "public, max-age=7200")]
    [InlineData("", "public, max-age=7200")]
    public async Task Apply_OtherContentType_LeavesCacheControlUntouched(string contentType, string cacheControl)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Response.Headers.ContentType = contentType;
        httpContext.Response.Headers.CacheControl = cacheControl;

        await new ResponseAgentCacheControlTransform().ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal([cacheControl], httpContext.Response.Headers.CacheControl.Values());
    }

    [Fact]
    public async Task Apply_BrowserCacheResponseWithoutContentType_LeavesCacheControlUntouched()
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Response.Headers.CacheControl = "max-age=31536000, immutable, private";

        await new ResponseAgentCacheControlTransform().ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal(["max-age=31536000, immutable, private"], httpContext.Response.Headers.CacheControl.Values());
    }

    [Theory]
    [InlineData("text/javascript", true)]
    [InlineData("text/javascript; charset=utf-8", true)]
    [InlineData("application/javascript", true)]
    [InlineData("application/x-javascript", true)]
    [InlineData("application/ecmascript", true)]
    [InlineData("text/ecmascript", true)]
    [InlineData("application/json", false)]
    [InlineData("text/html", false)]
    [InlineData("text/x-javascript-template", false)]
    [InlineData("image/javascript", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData(";;", false)]
    public void IsJavaScript_ContentType_RecognisesJavaScriptTypes(string? contentType, bool expected)
    {
        Assert.Equal(expected, ResponseAgentCacheControlTransform.IsJavaScript(contentType));
    }
}
