using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.Tests.Proxy;

/// <summary>docs/contract.md: the proxy forwards bytes faithfully, both ways.</summary>
public sealed class FidelityTests : IClassFixture<ProxyFixture>
{
    private const string ChromeUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private const string SecChUa = "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"";

    private readonly ProxyFixture _fixture;

    public FidelityTests(ProxyFixture fixture)
    {
        _fixture = fixture;
        fixture.Upstream.Clear();
    }

    private HttpClient Client => _fixture.Proxy.Client;

    [Theory]
    [InlineData("GET", "?a=%7e&b=%7E&c=+&d=%20&e=%2F&f=|&g={x}&h=^&i=`&j=%C3%A9&k=a%3Db&k=2")]
    [InlineData("GET", "?ii=client%2F1&ii=second&empty=&flag")]
    [InlineData("GET", "?")]
    [InlineData("GET", "?&&a=1&&")]
    [InlineData("GET", "?region=eu&ci=js%2F3.12.5&q=%22quoted%22")]
    public async Task QueryString_IsForwardedByteForByte_OnNonPost(string method, string query)
    {
        var (status, _) = await RawHttp.SendAsync(_fixture.Proxy.Port, $"{method} /fpjs/web/v4/K{query} HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, status);
        Assert.Equal(query, _fixture.Upstream.Single().Query);
    }

    [Fact]
    public async Task Post_QueryIsKeptByteForByte_AndIiIsAppendedAfterClientIi()
    {
        var (status, _) = await RawHttp.SendAsync(_fixture.Proxy.Port,
            "POST /fpjs/result?ci=js/3.12.5&ii=fingerprint-pro-react%2F2.6.3%2Fnext&q=%7e|x HTTP/1.1\r\nHost: www.example.com\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

        Assert.Equal(200, status);
        Assert.Equal("?ci=js/3.12.5&ii=fingerprint-pro-react%2F2.6.3%2Fnext&q=%7e|x&" + BuildVersion.IiParameter,
            _fixture.Upstream.Single().Query);
    }

    [Theory]
    [InlineData("/fpjs/web/v4/a%20b", "/web/v4/a%20b")]
    [InlineData("/fpjs/web/v4/%7ekey", "/web/v4/%7ekey")]
    [InlineData("/fpjs/web/v4/a|b", "/web/v4/a|b")]
    [InlineData("/fpjs/result/a%2Db", "/a%2Db")]
    public async Task PathSuffix_IsForwardedWithItsEncodingAsSent(string target, string upstreamPath)
    {
        var (status, _) = await RawHttp.SendAsync(_fixture.Proxy.Port, $"GET {target} HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, status);
        Assert.Equal(upstreamPath, _fixture.Upstream.Single().Path);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task CommaBearingAndCustomHeaders_ArriveByteIdentical(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/fpjs/result?region=eu");
        request.Headers.TryAddWithoutValidation("User-Agent", ChromeUserAgent);
        request.Headers.TryAddWithoutValidation("sec-ch-ua", SecChUa);
        request.Headers.TryAddWithoutValidation("sec-ch-ua-platform", "\"Windows\"");
        request.Headers.TryAddWithoutValidation("sec-ch-ua-full-version-list", "\"Chromium\";v=\"124.0.6367.91\", \"Google Chrome\";v=\"124.0.6367.91\"");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en-GB,en;q=0.9,de;q=0.8");
        request.Headers.TryAddWithoutValidation("X-Custom-Header", "a, b ,c;d=\"e,f\"");
        request.Headers.TryAddWithoutValidation("Origin", "https://www.example.com");
        request.Headers.TryAddWithoutValidation("Referer", "https://www.example.com/page?x=1");
        if (method == "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "text/plain");
        }

        using var response = await Client.SendAsync(request);

        var received = _fixture.Upstream.Single();
        Assert.Equal([ChromeUserAgent], received.Header("User-Agent"));
        Assert.Equal([SecChUa], received.Header("sec-ch-ua"));
        Assert.Equal(["\"Windows\""], received.Header("sec-ch-ua-platform"));
        Assert.Equal(["\"Chromium\";v=\"124.0.6367.91\", \"Google Chrome\";v=\"124.0.6367.91\""], received.Header("sec-ch-ua-full-version-list"));
        Assert.Equal(["en-GB,en;q=0.9,de;q=0.8"], received.Header("Accept-Language"));
        Assert.Equal(["a, b ,c;d=\"e,f\""], received.Header("X-Custom-Header"));
        Assert.Equal(["https://www.example.com"], received.Header("Origin"));
        Assert.Equal(["https://www.example.com/page?x=1"], received.Header("Referer"));
    }

    [Fact]
    public async Task PlatformAndForwardingHeaders_AreNotForwarded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fpjs/result/x");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=6.6.6.6");
        request.Headers.TryAddWithoutValidation("x-amz-date", "20260101T000000Z");
        request.Headers.TryAddWithoutValidation("x-amzn-trace-id", "Root=1-abc");
        request.Headers.TryAddWithoutValidation("CloudFront-Viewer-Address", "6.6.6.6:443");
        request.Headers.TryAddWithoutValidation("FPJS-Proxy-Client-IP", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("FPJS-Proxy-Secret", "guess");
        request.Headers.TryAddWithoutValidation("Via", "1.1 something");
        request.Headers.TryAddWithoutValidation("X-Kept", "yes");

        using var response = await Client.SendAsync(request);

        var received = _fixture.Upstream.Single();
        foreach (var name in new[] { "X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "x-amz-date", "x-amzn-trace-id", "CloudFront-Viewer-Address", "FPJS-Proxy-Client-IP", "FPJS-Proxy-Secret", "Via", "traceparent" })
        {
            Assert.False(received.HasHeader(name), name);
        }

        Assert.Equal(["yes"], received.Header("X-Kept"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(1_000_000)]
    public async Task BinaryRequestBody_IsForwardedByteIdentical(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await Client.PostAsync("/fpjs/result", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, _fixture.Upstream.Single().Body);
    }

    [Fact]
    public async Task ChunkedRequestBody_IsStreamedAndForwardedIdentical()
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("chunk-ü-", 5000)));
        using var content = new StreamContent(new NonSeekableStream(body));

        using var response = await Client.PostAsync("/fpjs/result", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, _fixture.Upstream.Single().Body);
    }

    [Theory]
    [InlineData("application/octet-stream", 300_000)]
    [InlineData("text/plain; charset=utf-8", 10)]
    [InlineData("application/json", 4_000_000)]
    public async Task ResponseBody_IsReturnedByteIdentical(string contentType, int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        _fixture.Upstream.Responder = async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(body);
        };

        using var response = await Client.GetAsync("/fpjs/result/x");

        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task UnicodeResponseBody_IsReturnedIdentical()
    {
        const string text = "{\"visitor\":\"Zoë — 東京 — 🦊\"}";
        _fixture.Upstream.Responder = context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync(text);
        };

        using var response = await Client.PostAsync("/fpjs/result", new StringContent("{}"));

        Assert.Equal(text, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CompressedResponse_PassesThroughWithContentEncoding_NotDecompressed()
    {
        var gzipped = new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0x04, 0x00, 0x43, 0xbe, 0xb7, 0xe8, 0x01, 0x00, 0x00, 0x00 };
        _fixture.Upstream.Responder = async context =>
        {
            context.Response.ContentType = "text/javascript";
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(gzipped);
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fpjs/agent?apiKey=K");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");

        using var response = await Client.SendAsync(request);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal(gzipped, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["gzip, deflate, br"], _fixture.Upstream.Single().Header("Accept-Encoding"));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    public async Task Redirects_AreReturnedAsTheyAre_NeverFollowed(int status)
    {
        _fixture.Upstream.Responder = context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = "https://elsewhere.example/loader.js?x=1";
            return Task.CompletedTask;
        };

        using var response = await Client.GetAsync("/fpjs/agent?apiKey=K");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("https://elsewhere.example/loader.js?x=1", response.Headers.Location!.OriginalString);
        Assert.Single(_fixture.Upstream.Requests);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task UpstreamErrorStatuses_PassThroughUnchanged(int status)
    {
        _fixture.Upstream.Responder = context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Upstream"] = "1";
            return context.Response.WriteAsync("{\"upstream\":" + status + "}");
        };

        using var response = await Client.PostAsync("/fpjs/result", new StringContent("{}"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("{\"upstream\":" + status + "}", await response.Content.ReadAsStringAsync());
        Assert.Equal(["1"], response.Headers.GetValues("X-Upstream"));
    }

    [Fact]
    public async Task ResponseHeaders_OtherThanHstsPassThrough()
    {
        _fixture.Upstream.Responder = context =>
        {
            context.Response.Headers["X-Request-Id"] = "abc";
            context.Response.Headers.Vary = "Origin";
            context.Response.Headers.AccessControlAllowOrigin = "https://www.example.com";
            context.Response.Headers.AccessControlAllowCredentials = "true";
            context.Response.Headers.StrictTransportSecurity = "max-age=63072000; includeSubDomains; preload";
            return Task.CompletedTask;
        };

        using var response = await Client.PostAsync("/fpjs/result", new StringContent("{}"));

        Assert.Equal(["abc"], response.Headers.GetValues("X-Request-Id"));
        Assert.Equal(["Origin"], response.Headers.GetValues("Vary"));
        Assert.Equal(["https://www.example.com"], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.False(response.Headers.Contains("Server")); // the fake sends none, and the proxy adds none of its own
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
