using System.Net;
using System.Text.Json;
using FingerprintProxy.Tests.Infrastructure;

namespace FingerprintProxy.Tests.Viewer;

/// <summary>
/// Where the viewer's IP and host come from in each trust mode, origin verification, and that the context
/// headers never reach Fingerprint.
/// </summary>
public sealed class TrustModeTests
{
    private const string Verify = "verify-current-1f9e";
    private const string VerifyPrevious = "verify-previous-77ab";

    private static HttpRequestMessage SpoofedPost(string? verifyValue = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/fpjs/result") { Content = new StringContent("{}") };
        request.Headers.Host = "origin.internal.example:8080";
        request.Headers.TryAddWithoutValidation("x-fpjs-viewer-ip", "198.51.100.23");
        request.Headers.TryAddWithoutValidation("x-fpjs-viewer-host", "www.shop.example");
        request.Headers.TryAddWithoutValidation("CloudFront-Viewer-Address", "2001:db8::7:51515");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        if (verifyValue is not null)
        {
            request.Headers.TryAddWithoutValidation("x-origin-verify", verifyValue);
        }

        return request;
    }

    private static void AssertNoContextHeadersForwarded(RecordedRequest received)
    {
        foreach (var name in new[] { "x-fpjs-viewer-ip", "x-fpjs-viewer-host", "CloudFront-Viewer-Address", "X-Forwarded-For", "x-origin-verify" })
        {
            Assert.False(received.HasHeader(name), name);
        }
    }

    [Fact]
    public async Task Direct_IgnoresEdgeAndForwardingHeaders_UsesConnectionAndHost()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        using var response = await proxy.Client.SendAsync(SpoofedPost());

        var received = upstream.Single();
        Assert.Equal(["127.0.0.1"], received.Header("FPJS-Proxy-Client-IP"));
        Assert.Equal(["origin.internal.example"], received.Header("FPJS-Proxy-Forwarded-Host"));
        AssertNoContextHeadersForwarded(received);
    }

    [Fact]
    public async Task LambdaEdge_TrustsEdgeHeaders_AndStripsThem()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_VIEWER_CONTEXT=lambda-edge", $"--FPJS_ORIGIN_VERIFY_SECRET={Verify}"]);

        using var response = await proxy.Client.SendAsync(SpoofedPost(Verify));

        var received = upstream.Single();
        Assert.Equal(["198.51.100.23"], received.Header("FPJS-Proxy-Client-IP"));
        Assert.Equal(["www.shop.example"], received.Header("FPJS-Proxy-Forwarded-Host"));
        AssertNoContextHeadersForwarded(received);
    }

    [Theory]
    [InlineData("not-an-ip", "bad host!", "127.0.0.1", "origin.internal.example")]
    [InlineData("[2001:db8::1]", "www.example.com:443", "2001:db8::1", "www.example.com")]
    [InlineData("::ffff:192.0.2.1", "WWW.Example.COM", "192.0.2.1", "WWW.Example.COM")]
    public async Task LambdaEdge_MalformedValuesFallBackToConnection_ValidOnesAreNormalised(string ip, string host, string expectedIp, string expectedHost)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_VIEWER_CONTEXT=lambda-edge", $"--FPJS_ORIGIN_VERIFY_SECRET={Verify}"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fpjs/result") { Content = new StringContent("{}") };
        request.Headers.Host = "origin.internal.example";
        request.Headers.TryAddWithoutValidation("x-origin-verify", Verify);
        request.Headers.TryAddWithoutValidation("x-fpjs-viewer-ip", ip);
        request.Headers.TryAddWithoutValidation("x-fpjs-viewer-host", host);

        using var response = await proxy.Client.SendAsync(request);

        var received = upstream.Single();
        Assert.Equal([expectedIp], received.Header("FPJS-Proxy-Client-IP"));
        Assert.Equal([expectedHost], received.Header("FPJS-Proxy-Forwarded-Host"));
    }

    [Theory]
    [InlineData(Verify)]
    [InlineData(VerifyPrevious)]
    public async Task CloudFrontOrigin_WithCurrentOrPreviousValue_TrustsEdgeHeaders(string presented)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port,
            ["--FPJS_VIEWER_CONTEXT=cloudfront-origin", $"--FPJS_ORIGIN_VERIFY_SECRET={Verify}", $"--FPJS_ORIGIN_VERIFY_SECRET_PREVIOUS={VerifyPrevious}"]);

        using var response = await proxy.Client.SendAsync(SpoofedPost(presented));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = upstream.Single();
        Assert.Equal(["198.51.100.23"], received.Header("FPJS-Proxy-Client-IP"));
        Assert.Equal(["www.shop.example"], received.Header("FPJS-Proxy-Forwarded-Host"));
        AssertNoContextHeadersForwarded(received);
    }

    [Fact]
    public async Task CloudFrontOrigin_WithoutEdgeHeaders_UsesCloudFrontViewerAddress()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_VIEWER_CONTEXT=cloudfront-origin", $"--FPJS_ORIGIN_VERIFY_SECRET={Verify}"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fpjs/result") { Content = new StringContent("{}") };
        request.Headers.Host = "www.shop.example";
        request.Headers.TryAddWithoutValidation("CloudFront-Viewer-Address", "2001:db8::7:51515");
        request.Headers.TryAddWithoutValidation("x-origin-verify", Verify);

        using var response = await proxy.Client.SendAsync(request);

        var received = upstream.Single();
        Assert.Equal(["2001:db8::7"], received.Header("FPJS-Proxy-Client-IP"));
        Assert.Equal(["www.shop.example"], received.Header("FPJS-Proxy-Forwarded-Host"));
        AssertNoContextHeadersForwarded(received);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong")]
    [InlineData(Verify + "x")]
    [InlineData("verify-current-1f9")]
    public async Task OriginVerification_MissingOrWrongValue_Gets403_WithoutContactingUpstream(string? presented)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port,
            ["--FPJS_VIEWER_CONTEXT=cloudfront-origin", $"--FPJS_ORIGIN_VERIFY_SECRET={Verify}", $"--FPJS_ORIGIN_VERIFY_SECRET_PREVIOUS={VerifyPrevious}"]);

        using var post = await proxy.Client.SendAsync(SpoofedPost(presented));
        using var status = await proxy.Client.GetAsync("/fpjs/status");

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, status.StatusCode);
        Assert.Empty(upstream.Requests);
        Assert.Empty(proxy.UpstreamHosts);
        Assert.DoesNotContain(Verify, await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OriginVerification_InDirectMode_AlsoLocksTheOrigin()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, [$"--FPJS_ORIGIN_VERIFY_SECRET={Verify}", "--FPJS_ORIGIN_VERIFY_HEADER=x-cf-secret"]);
        using var good = new HttpRequestMessage(HttpMethod.Get, "/fpjs/result/x");
        good.Headers.TryAddWithoutValidation("x-cf-secret", Verify);

        using var refused = await proxy.Client.GetAsync("/fpjs/result/x");
        using var accepted = await proxy.Client.SendAsync(good);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.False(upstream.Single().HasHeader("x-cf-secret"));
    }

    [Fact]
    public async Task HealthEndpoints_AnswerWithoutOriginVerification_AndAreOutsideTheIntegrationPath()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_VIEWER_CONTEXT=cloudfront-origin", $"--FPJS_ORIGIN_VERIFY_SECRET={Verify}"]);

        using var live = await proxy.Client.GetAsync("/healthz");
        using var ready = await proxy.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task CloudFrontOriginWithoutAnyVerificationValue_RefusesToStart()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() =>
            ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_VIEWER_CONTEXT=cloudfront-origin"]));

        Assert.Contains("FPJS_ORIGIN_VERIFY_SECRET", exception.Message);
    }

    [Fact]
    public async Task LambdaEdgeOutsideLambda_WithoutAnyVerificationValue_RefusesToStart()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() =>
            ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_VIEWER_CONTEXT=lambda-edge"]));

        Assert.Contains("FPJS_VIEWER_CONTEXT=lambda-edge outside AWS Lambda needs FPJS_ORIGIN_VERIFY_SECRET", exception.Message);
    }

    [Fact]
    public async Task LambdaEdgeOutsideLambda_WithAVerificationValue_RefusesRequestsWithoutIt()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_VIEWER_CONTEXT=lambda-edge", $"--FPJS_ORIGIN_VERIFY_SECRET={Verify}"]);

        using var response = await proxy.Client.SendAsync(SpoofedPost());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task UnknownMode_RefusesToStart()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() =>
            ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_VIEWER_CONTEXT=trust-everyone"]));

        Assert.Contains("FPJS_VIEWER_CONTEXT", exception.Message);
    }

    [Fact]
    public async Task StatusPage_ShowsModeAndVerification_NeverTheValues()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port,
            ["--FPJS_VIEWER_CONTEXT=cloudfront-origin", $"--FPJS_ORIGIN_VERIFY_SECRET={Verify}", $"--FPJS_ORIGIN_VERIFY_SECRET_PREVIOUS={VerifyPrevious}"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fpjs/status?format=json");
        request.Headers.TryAddWithoutValidation("x-origin-verify", Verify);

        using var response = await proxy.Client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Verify, body);
        Assert.DoesNotContain(VerifyPrevious, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("cloudfront-origin", json.RootElement.GetProperty("viewerContext").GetString());
        var verification = json.RootElement.GetProperty("originVerification");
        Assert.True(verification.GetProperty("enabled").GetBoolean());
        Assert.Equal("x-origin-verify", verification.GetProperty("header").GetString());
        Assert.Equal(2, verification.GetProperty("acceptedValues").GetInt32());
    }
}
