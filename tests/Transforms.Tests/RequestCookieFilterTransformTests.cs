namespace FingerprintProxy.Transforms.Tests;

public class RequestCookieFilterTransformTests
{
    [Fact]
    public async Task Post_WithThreeCookies_ForwardsOnlyIidt()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", ("Cookie", "session=s3cr3t; _iidt=7s2Ydo9K+XwZQw==; theme=dark")));

        await new RequestCookieFilterTransform().ApplyAsync(context);

        Assert.Equal(["_iidt=7s2Ydo9K+XwZQw=="], context.ProxyHeader("Cookie"));
    }

    [Theory]
    [InlineData("_iidt=abc", "_iidt=abc")]
    [InlineData("a=1;_iidt=a=b=c ;b=2", "_iidt=a=b=c")]
    [InlineData("_iidt=\"v 1\"; a=1", "_iidt=\"v 1\"")]
    [InlineData("_iidt=one; a=1; _iidt=two", "_iidt=one; _iidt=two")]
    public async Task Post_WithIidt_ForwardsIidtVerbatim(string cookie, string expected)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", ("Cookie", cookie)));

        await new RequestCookieFilterTransform().ApplyAsync(context);

        Assert.Equal([expected], context.ProxyHeader("Cookie"));
    }

    [Theory]
    [InlineData("session=s3cr3t; theme=dark")]
    [InlineData("_iidt2=abc; x_iidt=def")]
    [InlineData("")]
    [InlineData(";")]
    public async Task Post_WithoutIidt_SendsNoCookieHeader(string cookie)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", ("Cookie", cookie)));

        await new RequestCookieFilterTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("Cookie"));
    }

    [Fact]
    public async Task Post_WithoutCookieHeader_SendsNoCookieHeader()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", ("X-Custom", "1")));

        await new RequestCookieFilterTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("Cookie"));
        Assert.Equal(["1"], context.ProxyHeader("X-Custom"));
    }

    [Fact]
    public async Task Post_WithSeveralCookieHeaders_ForwardsOneHeaderWithEveryIidt()
    {
        // HTTP/2 clients send cookies in separate fields.
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(
            "POST", ("Cookie", "a=1"), ("Cookie", "_iidt=one"), ("Cookie", "b=2; _iidt=two")));

        await new RequestCookieFilterTransform().ApplyAsync(context);

        Assert.Equal(["_iidt=one; _iidt=two"], context.ProxyHeader("Cookie"));
    }

    [Theory]
    [MemberData(nameof(Methods.NonPost), MemberType = typeof(Methods))]
    public async Task NonPost_WithIidt_DropsCookieHeader(string method)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(method, ("Cookie", "session=s3cr3t; _iidt=abc"), ("Accept", "*/*")));

        await new RequestCookieFilterTransform().ApplyAsync(context);

        Assert.Null(context.ProxyHeader("Cookie"));
        Assert.Equal(["*/*"], context.ProxyHeader("Accept"));
    }

    [Theory]
    [MemberData(nameof(Methods.Post), MemberType = typeof(Methods))]
    public async Task Post_MethodInAnyCase_FiltersLikePost(string method)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(method, ("Cookie", "a=1; _iidt=abc")));

        await new RequestCookieFilterTransform().ApplyAsync(context);

        Assert.Equal(["_iidt=abc"], context.ProxyHeader("Cookie"));
    }

    [Fact]
    public async Task Post_OtherCookieName_KeepsThatCookie()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", ("Cookie", "_iidt=abc; other=x")));

        await new RequestCookieFilterTransform("other").ApplyAsync(context);

        Assert.Equal(["other=x"], context.ProxyHeader("Cookie"));
    }

    [Fact]
    public void Constructor_Default_FiltersIidt()
    {
        Assert.Equal("_iidt", new RequestCookieFilterTransform().CookieName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Constructor_NoCookieName_Throws(string? name)
    {
        Assert.ThrowsAny<ArgumentException>(() => new RequestCookieFilterTransform(name!));
    }
}
