using FingerprintProxy.BlackBox.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.BlackBox.Kestrel;

/// <summary>What the published proxy adds, removes and keeps, on the way up and on the way down (Kestrel mode).</summary>
public sealed class FidelityTests : IClassFixture<ProxyFixture>, IDisposable
{
    private const string ChromeUserAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string SecChUa = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"";
    private const string Iidt = "_iidt=7A8iJ2Dgb3T+CPn0Zl3zyWlN9r/hWnTU2fWXtu7C3bYB7ffXhvSC1g3hXO+6p6iM1Zml8rsDfQ==";

    private readonly ProxyFixture _fixture;
    private readonly ProcessLog _log;

    public FidelityTests(ProxyFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _log = new ProcessLog(output);
        if (fixture.Proxy is not null)
        {
            _log.Watch(fixture.Proxy.Process);
            fixture.Upstream.Clear();
        }
    }

    private int Port => _fixture.Proxy.Port;

    [BlackBoxFact]
    public async Task IdentificationPost_CarriesTheProxyHeaders_OnlyTheIidtCookie_AndTheBodyUnchanged()
    {
        var body = Enumerable.Range(0, 1024).Select(i => (byte)(i * 7 % 256)).ToArray();

        var response = await RawHttp.SendAsync(Port, RawHttp.Head(
            "POST /fpjs/result?region=eu&ii=fingerprint-pro-react%2F2.6.3%2Fnext&q=%7e|x HTTP/1.1",
            "Host: www.example.com:8443",
            $"User-Agent: {ChromeUserAgent}",
            $"sec-ch-ua: {SecChUa}",
            "sec-ch-ua-platform: \"macOS\"",
            "Accept-Language: en-GB,en;q=0.9,de-DE;q=0.8",
            "Origin: https://www.example.com",
            $"Cookie: _ga=GA1.1.1873224391.1732180447; {Iidt}; session=abc%3Bdef; consent=analytics,ads",
            "Content-Type: text/plain",
            $"Content-Length: {body.Length}"), body);

        Assert.Equal(200, response.Status);
        var upstream = _fixture.Upstream.Single();
        Assert.Equal("POST", upstream.Method);
        Assert.Equal($"eu.{LoopbackNames.Ingress}:{_fixture.Upstream.Port}", upstream.Host);
        Assert.Equal("/", upstream.Path);
        Assert.Equal("?region=eu&ii=fingerprint-pro-react%2F2.6.3%2Fnext&q=%7e|x&ii=" + Uri.EscapeDataString(_fixture.IntegrationInfo), upstream.Query);
        Assert.Equal([ProxyFixture.Secret], upstream.Header("FPJS-Proxy-Secret"));
        Assert.Equal(["127.0.0.1"], upstream.Header("FPJS-Proxy-Client-IP"));
        Assert.Equal(["www.example.com"], upstream.Header("FPJS-Proxy-Forwarded-Host"));
        Assert.Equal([Iidt], upstream.Header("Cookie"));
        Assert.Equal([ChromeUserAgent], upstream.Header("User-Agent"));
        Assert.Equal([SecChUa], upstream.Header("sec-ch-ua"));
        Assert.Equal(["\"macOS\""], upstream.Header("sec-ch-ua-platform"));
        Assert.Equal(["en-GB,en;q=0.9,de-DE;q=0.8"], upstream.Header("Accept-Language"));
        Assert.Equal(["https://www.example.com"], upstream.Header("Origin"));
        Assert.Equal(body, upstream.Body);
    }

    [BlackBoxFact]
    public async Task IdentificationPost_WithoutAnIidtCookie_SendsNoCookieHeader()
    {
        var response = await RawHttp.SendAsync(Port, RawHttp.Head(
            "POST /fpjs/result HTTP/1.1", "Host: www.example.com", "Cookie: _ga=GA1.1.1; session=x", "Content-Length: 2"), "{}"u8.ToArray());

        Assert.Equal(200, response.Status);
        Assert.False(_fixture.Upstream.Single().HasHeader("Cookie"));
    }

    [BlackBoxFact]
    public async Task GetOnAResultSuffix_DropsTheCookie_AndAddsNothing()
    {
        var response = await RawHttp.SendAsync(Port, RawHttp.Head(
            "GET /fpjs/result/browser-cache/a%20b?x=%7e&ii=client HTTP/1.1",
            "Host: www.example.com",
            $"User-Agent: {ChromeUserAgent}",
            $"Cookie: {Iidt}; _ga=GA1.1.1"));

        Assert.Equal(200, response.Status);
        var upstream = _fixture.Upstream.Single();
        Assert.Equal("/browser-cache/a%20b", upstream.Path);
        Assert.Equal("?x=%7e&ii=client", upstream.Query);
        Assert.False(upstream.HasHeader("Cookie"));
        Assert.DoesNotContain(upstream.Headers, h => h.Key.StartsWith("FPJS-Proxy-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal([ChromeUserAgent], upstream.Header("User-Agent"));
    }

    [BlackBoxFact]
    public async Task Response_LosesStrictTransportSecurity_AndKeepsEachSetCookieSeparate()
    {
        string[] setCookies =
        [
            "_iidt=Jq3bMj0uUq8yG1xT+KJ1v6lS/2R0nA==; Path=/; Expires=Sun, 21 Nov 2027 09:14:07 GMT; HttpOnly; Secure; SameSite=None",
            "_vid_t=oN2dM3lNbu0w8SfNQ6wJ6A==; Path=/; Max-Age=31536000; Secure; SameSite=Lax",
        ];
        _fixture.Upstream.Responder = context =>
        {
            context.Response.Headers.Append("Set-Cookie", setCookies);
            context.Response.Headers.StrictTransportSecurity = "max-age=63072000; includeSubDomains; preload";
            context.Response.Headers["X-Upstream"] = "a, b";
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{\"products\":{}}");
        };

        var response = await RawHttp.SendAsync(Port, RawHttp.Head("POST /fpjs/result HTTP/1.1", "Host: www.example.com", "Content-Length: 2"), "{}"u8.ToArray());

        Assert.Equal(200, response.Status);
        Assert.Equal(setCookies, response.Header("Set-Cookie"));
        Assert.Empty(response.Header("Strict-Transport-Security"));
        Assert.Equal(["a, b"], response.Header("X-Upstream"));
        Assert.Equal("{\"products\":{}}", response.BodyText);
    }

    [BlackBoxTheory]
    [InlineData("/fpjs/agent?apiKey=K", "application/javascript", "public, max-age=7200", "public, max-age=3600, s-maxage=60")]
    [InlineData("/fpjs/agent?apiKey=K", "text/javascript; charset=utf-8", "public, max-age=86400, s-maxage=3600", "public, max-age=3600, s-maxage=60")]
    [InlineData("/fpjs/agent?apiKey=K", "application/javascript", "public, max-age=600, s-maxage=30", "public, max-age=600, s-maxage=30")]
    [InlineData("/fpjs/result/browser-cache/x", "application/octet-stream", "max-age=31536000, immutable, private", "max-age=31536000, immutable, private")]
    public async Task CacheControl_IsCappedOnTheAgentOnly(string target, string contentType, string upstreamCacheControl, string expected)
    {
        _fixture.Upstream.Responder = context =>
        {
            context.Response.ContentType = contentType;
            context.Response.Headers.CacheControl = upstreamCacheControl;
            return context.Response.WriteAsync("(function(){})();");
        };

        var response = await RawHttp.SendAsync(Port, RawHttp.Head($"GET {target} HTTP/1.1", "Host: www.example.com"));

        Assert.Equal(200, response.Status);
        Assert.Equal([expected], response.Header("Cache-Control"));
        Assert.Equal("(function(){})();", response.BodyText);
    }

    public void Dispose() => _log.Dispose();
}
