using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.Transforms.Tests;

public class ResponseSetCookieScopeTransformTests
{
    private static ResponseSetCookieScopeTransform Transform => new(PublicSuffixList.Default);

    [Theory]
    [InlineData("www.example.com", "_iidt=abc; Domain=example.com; Path=/")]
    [InlineData("www.example.com", "_iidt=abc; Domain=.example.com; Path=/")]
    [InlineData("www.example.com", "_iidt=abc; Domain=WWW.EXAMPLE.COM; Path=/")]
    [InlineData("WWW.EXAMPLE.COM", "_iidt=abc; Domain=example.com; Path=/")]
    [InlineData("www.example.com.", "_iidt=abc; Domain=example.com; Path=/")]
    [InlineData("shop.example.co.uk", "_iidt=abc; Domain=example.co.uk; Path=/")]
    [InlineData("www.example.com", "_iidt=abc; Path=/; Secure")]
    [InlineData("192.0.2.10", "_iidt=abc; Path=/; Secure")]
    public async Task Apply_AcceptableOrNoDomain_LeavesSetCookieUnchanged(string host, string setCookie)
    {
        var httpContext = ResponseWithCookies(host, setCookie);

        await Transform.ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal([setCookie], httpContext.Response.Headers.SetCookie.Values());
    }

    [Theory]
    [InlineData("www.example.com", "_iidt=abc; Domain=fpjs.io; Path=/", "_iidt=abc; Domain=example.com; Path=/")]
    [InlineData("shop.example.co.uk", "_iidt=abc; Domain=co.uk; Path=/", "_iidt=abc; Domain=example.co.uk; Path=/")]
    [InlineData("www.example.com", "_iidt=abc; Domain=com; Path=/", "_iidt=abc; Domain=example.com; Path=/")]
    [InlineData("192.0.2.10", "_iidt=abc; Domain=example.com; Path=/", "_iidt=abc; Path=/")]
    [InlineData("2001:db8::1", "_iidt=abc; Path=/; Domain=example.com", "_iidt=abc; Path=/")]
    [InlineData("[2001:db8::1]", "_iidt=abc; Domain=example.com; Secure", "_iidt=abc; Secure")]
    [InlineData(
        "www.example.com",
        "_iidt=v1.AbC/+=; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=fpjs.io; Max-Age=31536000; Path=/; Secure; HttpOnly; SameSite=None",
        "_iidt=v1.AbC/+=; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=example.com; Max-Age=31536000; Path=/; Secure; HttpOnly; SameSite=None")]
    public async Task Apply_ForeignDomain_RescopesSetCookie(string host, string setCookie, string expected)
    {
        var httpContext = ResponseWithCookies(host, setCookie);

        await Transform.ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal([expected], httpContext.Response.Headers.SetCookie.Values());
    }

    [Fact]
    public async Task Apply_SeveralSetCookies_HandlesEachAndKeepsThemSeparate()
    {
        var httpContext = ResponseWithCookies(
            "www.example.com",
            "_iidt=one; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=fpjs.io; Path=/; Secure",
            "keep=two; Domain=example.com; Path=/",
            "host=three; Path=/; HttpOnly",
            "_vid=four; Max-Age=60; Domain=com; SameSite=Lax");

        await Transform.ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal(
            [
                "_iidt=one; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=example.com; Path=/; Secure",
                "keep=two; Domain=example.com; Path=/",
                "host=three; Path=/; HttpOnly",
                "_vid=four; Max-Age=60; Domain=example.com; SameSite=Lax",
            ],
            httpContext.Response.Headers.SetCookie.Values());
    }

    [Fact]
    public async Task Apply_SeveralSetCookiesForIpHost_RemovesEachDomainAndKeepsThemSeparate()
    {
        var httpContext = ResponseWithCookies(
            "203.0.113.7",
            "a=1; Domain=fpjs.io; Path=/",
            "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=example.com");

        await Transform.ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal(["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"], httpContext.Response.Headers.SetCookie.Values());
    }

    [Fact]
    public async Task Apply_NothingToChange_KeepsTheSameHeaderValues()
    {
        var httpContext = ResponseWithCookies("www.example.com", "a=1; Domain=example.com", "b=2");
        var before = httpContext.Response.Headers.SetCookie;

        await Transform.ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal(before, httpContext.Response.Headers.SetCookie);
        Assert.Same(before[0], httpContext.Response.Headers.SetCookie[0]);
    }

    [Fact]
    public async Task Apply_NoViewerContext_LeavesSetCookieUnchanged()
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Response.Headers.SetCookie = new(["a=1; Domain=fpjs.io; Path=/", "b=2; Domain=com"]);

        await Transform.ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal(["a=1; Domain=fpjs.io; Path=/", "b=2; Domain=com"], httpContext.Response.Headers.SetCookie.Values());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Apply_ViewerHostUnknown_LeavesSetCookieUnchanged(string? host)
    {
        var httpContext = ResponseWithCookies(host, "a=1; Domain=fpjs.io; Path=/");

        await Transform.ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.Equal(["a=1; Domain=fpjs.io; Path=/"], httpContext.Response.Headers.SetCookie.Values());
    }

    [Fact]
    public async Task Apply_NoSetCookie_AddsNone()
    {
        var httpContext = ResponseWithCookies("www.example.com");
        httpContext.Response.Headers.CacheControl = "no-store";

        await Transform.ApplyAsync(TransformTestContext.Response(httpContext));

        Assert.False(httpContext.Response.Headers.ContainsKey("Set-Cookie"));
        Assert.Equal("no-store", httpContext.Response.Headers.CacheControl);
    }

    [Fact]
    public void Constructor_Suffixes_AreKept()
    {
        Assert.Same(PublicSuffixList.Default, Transform.Suffixes);
        Assert.Throws<ArgumentNullException>(() => new ResponseSetCookieScopeTransform(null!));
    }

    private static DefaultHttpContext ResponseWithCookies(string? host, params string[] setCookies)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Features.Set(new ViewerContext("203.0.113.7", host));
        if (setCookies.Length > 0)
        {
            httpContext.Response.Headers.SetCookie = setCookies;
        }

        return httpContext;
    }
}
