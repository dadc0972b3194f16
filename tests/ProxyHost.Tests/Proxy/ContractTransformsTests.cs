using System.Net;
using FingerprintProxy.Tests.Infrastructure;

namespace FingerprintProxy.Tests.Proxy;

/// <summary>docs/contract.md, "On the way up" and "On the way down", through the real pipeline: what is added and removed each way.</summary>
public sealed class ContractTransformsTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fixture;

    public ContractTransformsTests(ProxyFixture fixture)
    {
        _fixture = fixture;
        fixture.Upstream.Clear();
    }

    private HttpClient Client => _fixture.Proxy.Client;

    [Fact]
    public async Task Post_WithThreeCookies_ForwardsOnlyIidt_Verbatim()
    {
        using var request = Post("/fpjs/result?region=eu");
        request.Headers.TryAddWithoutValidation("Cookie", "session=s3cret; _iidt=AbC+/x==; _ga=GA1.2.3");

        using var response = await Client.SendAsync(request);

        Assert.Equal(["_iidt=AbC+/x=="], _fixture.Upstream.Single().Header("Cookie"));
    }

    [Fact]
    public async Task Post_WithoutIidt_SendsNoCookieHeader()
    {
        using var request = Post("/fpjs/result");
        request.Headers.TryAddWithoutValidation("Cookie", "session=1; other=2");

        using var response = await Client.SendAsync(request);

        Assert.False(_fixture.Upstream.Single().HasHeader("Cookie"));
    }

    [Theory]
    [InlineData("GET", "/fpjs/result/browser-cache/x")]
    [InlineData("HEAD", "/fpjs/web/v4/x")]
    [InlineData("PUT", "/fpjs/result")]
    [InlineData("GET", "/fpjs/agent?apiKey=K")]
    [InlineData("DELETE", "/fpjs/x")]
    public async Task NonPost_DropsCookieHeaderEntirely_AndAddsNoProxyHeaders(string method, string target)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        request.Headers.TryAddWithoutValidation("Cookie", "_iidt=abc; session=1");

        using var response = await Client.SendAsync(request);

        var received = _fixture.Upstream.Single();
        Assert.False(received.HasHeader("Cookie"));
        Assert.False(received.HasHeader("FPJS-Proxy-Secret"));
        Assert.False(received.HasHeader("FPJS-Proxy-Client-IP"));
        Assert.False(received.HasHeader("FPJS-Proxy-Forwarded-Host"));
        Assert.DoesNotContain("ii=fingerprint-pro-aws-dotnet", received.Query);
    }

    [Theory]
    [InlineData("/fpjs/result")]
    [InlineData("/fpjs/result/suffix")]
    [InlineData("/fpjs/")]
    [InlineData("/fpjs/web/v4/KEY?ci=js")]
    public async Task Post_AddsSecretClientIpForwardedHostAndIi(string target)
    {
        using var request = Post(target);
        request.Headers.Host = "www.example.com:8443";
        request.Headers.TryAddWithoutValidation("FPJS-Proxy-Client-IP", "6.6.6.6");

        using var response = await Client.SendAsync(request);

        var received = _fixture.Upstream.Single();
        Assert.Equal([ProxyFixture.Secret], received.Header("FPJS-Proxy-Secret"));
        Assert.Equal(["127.0.0.1"], received.Header("FPJS-Proxy-Client-IP"));
        Assert.Equal(["www.example.com"], received.Header("FPJS-Proxy-Forwarded-Host"));
        Assert.EndsWith(BuildVersion.IiParameter, received.Query);
    }

    [Fact]
    public async Task Post_SecretNeverReachesTheClient()
    {
        _fixture.Upstream.Responder = context =>
        {
            // A misbehaving upstream echoing request headers must not leak more than it got; the proxy adds nothing itself.
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{}");
        };

        using var response = await Client.SendAsync(Post("/fpjs/result"));

        var all = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(",", h.Value)))
            + await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ProxyFixture.Secret, all);
    }

    [Fact]
    public async Task SeveralSetCookies_StaySeparateHeaders()
    {
        _fixture.Upstream.Responder = context =>
        {
            context.Response.Headers.Append("Set-Cookie", "_iidt=abc; Path=/; Domain=example.com; Expires=Wed, 21 Oct 2027 07:28:00 GMT; Secure; SameSite=None");
            context.Response.Headers.Append("Set-Cookie", "other=1; Path=/; HttpOnly");
            context.Response.Headers.Append("Set-Cookie", "third=x,y; Max-Age=60");
            return Task.CompletedTask;
        };
        using var request = Post("/fpjs/result");
        request.Headers.Host = "www.example.com";

        using var response = await Client.SendAsync(request);

        Assert.Equal(
            [
                "_iidt=abc; Path=/; Domain=example.com; Expires=Wed, 21 Oct 2027 07:28:00 GMT; Secure; SameSite=None",
                "other=1; Path=/; HttpOnly",
                "third=x,y; Max-Age=60",
            ],
            response.Headers.GetValues("Set-Cookie"));
    }

    [Theory]
    [InlineData("www.example.com", "_iidt=a; Domain=fpjs.io; Path=/", "_iidt=a; Domain=example.com; Path=/")]
    [InlineData("www.example.com", "_iidt=a; Domain=example.com; Path=/", "_iidt=a; Domain=example.com; Path=/")]
    [InlineData("shop.example.co.uk", "_iidt=a; Domain=co.uk; Path=/", "_iidt=a; Domain=example.co.uk; Path=/")]
    [InlineData("127.0.0.1", "_iidt=a; Domain=fpjs.io; Path=/", "_iidt=a; Path=/")]
    [InlineData("www.example.com", "_iidt=a; Path=/", "_iidt=a; Path=/")]
    public async Task SetCookieDomain_IsRescopedToTheViewerSite_WhenTheBrowserWouldDropIt(string host, string upstreamCookie, string expected)
    {
        _fixture.Upstream.Responder = context =>
        {
            context.Response.Headers.Append("Set-Cookie", upstreamCookie);
            return Task.CompletedTask;
        };
        using var request = Post("/fpjs/result");
        request.Headers.Host = host;

        using var response = await Client.SendAsync(request);

        Assert.Equal([expected], response.Headers.GetValues("Set-Cookie"));
    }

    [Theory]
    [InlineData("text/javascript; charset=utf-8", "public, max-age=7200", "public, max-age=3600, s-maxage=60")]
    [InlineData("application/javascript", "public, max-age=600, s-maxage=30", "public, max-age=600, s-maxage=30")]
    [InlineData("application/javascript", "public, s-maxage=600", "public, s-maxage=60, max-age=3600")]
    [InlineData("application/json", "public, max-age=7200", "public, max-age=7200")]
    [InlineData("text/plain", "max-age=31536000, immutable, private", "max-age=31536000, immutable, private")]
    public async Task CacheControl_IsCappedOnlyForJavaScript(string contentType, string cacheControl, string expected)
    {
        _fixture.Upstream.Responder = context =>
        {
            context.Response.ContentType = contentType;
            context.Response.Headers.CacheControl = cacheControl;
            context.Response.Headers.StrictTransportSecurity = "max-age=31536000";
            return context.Response.WriteAsync("x");
        };

        using var response = await Client.GetAsync("/fpjs/agent?apiKey=K&loaderVersion=3.12.15");

        // NonValidated: the typed Cache-Control parser would reorder directives.
        Assert.Equal(expected, response.Headers.NonValidated["Cache-Control"].ToString());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task JavaScriptWithoutCacheControl_GetsNone()
    {
        _fixture.Upstream.Responder = context =>
        {
            context.Response.ContentType = "text/javascript";
            return context.Response.WriteAsync("x");
        };

        using var response = await Client.GetAsync("/fpjs/agent?apiKey=K");

        Assert.False(response.Headers.Contains("Cache-Control"));
    }

    private static HttpRequestMessage Post(string target) => new(HttpMethod.Post, target) { Content = new StringContent("{\"c\":1}") };
}
