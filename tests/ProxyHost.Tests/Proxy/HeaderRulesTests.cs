using System.Net;
using FingerprintProxy.Tests.Infrastructure;

namespace FingerprintProxy.Tests.Proxy;

/// <summary>
/// Header rules through the whole pipeline (docs/contract.md, "On the way up" and "On the way down"), for the
/// cases a client can produce on the wire: an empty or missing Host, headers named in Connection, forwarding
/// headers a client may send, and Fingerprint's CDN tag on the way back.
/// </summary>
public sealed class HeaderRulesTests
{
    [Theory]
    [InlineData("Host:\r\n")]
    [InlineData("Host: \r\n")]
    [InlineData("")]
    public async Task EmptyOrMissingHost_ReachesUpstreamAsExactlyTheIngressHost(string hostLine)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        var (status, _) = await RawHttp.SendAsync(proxy.Port, $"GET /fpjs/web/v4/K HTTP/1.0\r\n{hostLine}Connection: close\r\n\r\n");

        Assert.Equal(200, status);
        var received = upstream.Single();
        Assert.Equal(ProxyServer.IngressHost, received.Host);
        Assert.Equal([ProxyServer.IngressHost], received.Header("Host"));
    }

    // Kestrel keeps only the token of a Connection header that also lists keep-alive or close (the other tokens
    // never reach the application), so those forms cannot be tested here; the transform's own tests cover them.
    [Theory]
    [InlineData("X-Hop")]
    [InlineData("x-hop")]
    [InlineData("X-Other, X-Hop")]
    public async Task HeaderNamedInConnection_IsNotForwarded(string connection)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        // Raw bytes: HttpClient would rewrite a Connection header that holds keep-alive or close.
        var (status, _) = await RawHttp.SendOneAsync(proxy.Port,
            $"POST /fpjs/result HTTP/1.1\r\nHost: www.example.com\r\nConnection: {connection}\r\nX-Hop: 1\r\nX-Kept: 2\r\nContent-Length: 2\r\n\r\n{{}}");

        Assert.Equal(200, status);
        var received = upstream.Single();
        Assert.False(received.HasHeader("X-Hop"));
        Assert.Equal(["2"], received.Header("X-Kept"));
    }

    [Theory]
    [InlineData("X-Real-IP")]
    [InlineData("True-Client-IP")]
    [InlineData("X-Client-IP")]
    [InlineData("CF-Connecting-IP")]
    [InlineData("Fastly-Client-IP")]
    [InlineData("Forwarded")]
    [InlineData("X-Forwarded-For")]
    public async Task ClientSentForwardingHeader_NeverReachesFingerprint(string header)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fpjs/result") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation(header, "6.6.6.6");

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = upstream.Single();
        Assert.False(received.HasHeader(header));
        Assert.Equal(["127.0.0.1"], received.Header("FPJS-Proxy-Client-IP"));
    }

    [Fact]
    public async Task CacheTagAndHsts_AreRemovedFromTheResponse_OtherHeadersKept()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        upstream.Responder = context =>
        {
            context.Response.Headers["Cache-Tag"] = "fpjs-agent,v3";
            context.Response.Headers.StrictTransportSecurity = "max-age=31536000";
            context.Response.Headers["X-Upstream"] = "kept";
            return FakeFingerprint.DefaultResponder(context);
        };
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        using var response = await proxy.Client.GetAsync("/fpjs/web/v4/K");

        Assert.False(response.Headers.Contains("Cache-Tag"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(["kept"], response.Headers.GetValues("X-Upstream"));
    }
}
