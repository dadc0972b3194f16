using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Tests.Proxy;

/// <summary>docs/contract.md, "Errors": failures of the upstream and bad input.</summary>
public sealed partial class ErrorTests
{
    [Theory]
    [InlineData("/fpjs/result")]
    [InlineData("/fpjs/web/v4/K")]
    public async Task Post_UpstreamDown_ReturnsAgentShapedJson500WithCors(string target)
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_PRE_SHARED_SECRET=never-leak-me-9"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Origin", "https://www.example.com");

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["https://www.example.com"], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(["true"], response.Headers.GetValues("Access-Control-Allow-Credentials"));
        var body = await response.Content.ReadAsStringAsync();
        AssertAgentError(body, "the identification service is unreachable");
        Assert.DoesNotContain("never-leak-me-9", body);
        Assert.DoesNotContain("never-leak-me-9", proxy.Logs.AllText());
        Assert.Contains(proxy.Logs.GetSnapshot(), e => e.Id.Id == 1001);
    }

    [Theory]
    [InlineData("GET", "/fpjs/agent?apiKey=K")]
    [InlineData("GET", "/fpjs/result/browser-cache/x")]
    [InlineData("PUT", "/fpjs/x")]
    public async Task NonPost_UpstreamDown_ReturnsErrorJson500(string method, string target)
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort());

        using var response = await proxy.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), target));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("the identification service is unreachable", json.RootElement.GetProperty("error").GetString());
        Assert.Single(json.RootElement.EnumerateObject());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task UpstreamTooSlow_TimesOut_WithContractError(string method)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        using var release = new CancellationTokenSource();
        upstream.Responder = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), release.Token).ContinueWith(_ => { });
        };
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_RESPONSE_TIMEOUT_SECONDS=0.5"]);

        using var request = new HttpRequestMessage(new HttpMethod(method), "/fpjs/result") { Content = method == "POST" ? new StringContent("{}") : null };
        using var response = await proxy.Client.SendAsync(request);
        release.Cancel();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        if (method == "POST")
        {
            AssertAgentError(body, "the identification service did not answer in time");
        }
        else
        {
            Assert.Equal("{\"error\":\"the identification service did not answer in time\"}", body);
        }
    }

    [Fact]
    public async Task Post_UpstreamResetsConnection_ReturnsAgentError()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        upstream.Responder = context =>
        {
            context.Abort();
            return Task.CompletedTask;
        };
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        using var response = await proxy.Client.PostAsync("/fpjs/result", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("IntegrationFailed", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("GET /fpjs/../admin HTTP/1.1")]
    [InlineData("GET /fpjs/web/../../etc/passwd HTTP/1.1")]
    [InlineData("GET /fpjs/%2e%2e/x HTTP/1.1")]
    [InlineData("GET /fpjs/web/.%2E/x HTTP/1.1")]
    [InlineData("GET /fpjs/result/./x HTTP/1.1")]
    [InlineData("GET /fpjs/web%2Fv4/x HTTP/1.1")]
    [InlineData("GET /fpjs/web%2fv4 HTTP/1.1")]
    [InlineData("GET /fpjs/web%5Cv4 HTTP/1.1")]
    [InlineData("GET /fpjs/web\\..\\x HTTP/1.1")]
    [InlineData("GET /fpjs/a//b HTTP/1.1")]
    [InlineData("GET /fpjs/a%zz HTTP/1.1")]
    [InlineData("GET /fpjs/a%00b HTTP/1.1")]
    [InlineData("POST /fpjs/result/%2e%2e/%2e%2e/admin HTTP/1.1")]
    public async Task PathEscapes_Get4xx_AndAreNeverForwarded(string requestLine)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        var (status, response) = await RawHttp.SendAsync(proxy.Port, requestLine + "\r\nHost: www.example.com\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.InRange(status, 400, 404);
        Assert.Empty(upstream.Requests);
        Assert.DoesNotContain("Exception", response);
    }

    [Theory]
    [InlineData("apiKey=a/b")]
    [InlineData("apiKey=a%2Fb")]
    [InlineData("apiKey=..")]
    [InlineData("apiKey=")]
    [InlineData("version=3")]
    [InlineData("apiKey=K&version=3a")]
    [InlineData("apiKey=K&version=..%2F")]
    [InlineData("apiKey=K&loaderVersion=3.1/..")]
    [InlineData("apiKey=K&loaderVersion=%2e%2e%2f")]
    [InlineData("apiKey=K&loaderVersion=")]
    public async Task AgentRoute_WithBadQueryValues_Gets400_AndIsNeverForwarded(string query)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        using var response = await proxy.Client.GetAsync("/fpjs/agent?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetString()));
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task OversizedBody_WithContentLength_Gets413_AndIsNeverForwarded()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        using var response = await proxy.Client.PostAsync("/fpjs/result", new ByteArrayContent(new byte[1024 * 1024 + 1]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task BodyAtTheLimit_IsForwarded()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        using var response = await proxy.Client.PostAsync("/fpjs/result", new ByteArrayContent(new byte[1024 * 1024]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1024 * 1024, upstream.Single().Body.Length);
    }

    [Fact]
    public async Task OversizedChunkedBody_Gets413_WithConfiguredLimit()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_MAX_BODY_BYTES=1000"]);
        var chunk = new string('x', 600);
        var head = "POST /fpjs/result HTTP/1.1\r\nHost: www.example.com\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        var body = $"{600:x}\r\n{chunk}\r\n{600:x}\r\n{chunk}\r\n0\r\n\r\n";

        var (status, _) = await RawHttp.SendAsync(proxy.Port, head + body);

        Assert.Equal(413, status);
        Assert.DoesNotContain(upstream.Requests, r => r.Body.Length > 1000);
    }

    [Fact]
    public async Task OversizedHeaderBlock_IsRefusedByKestrel_WithClear431()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);
        var huge = new string('a', 40 * 1024);

        var (status, _) = await RawHttp.SendAsync(proxy.Port, $"GET /fpjs/result/x HTTP/1.1\r\nHost: www.example.com\r\nX-Big: {huge}\r\nConnection: close\r\n\r\n");

        Assert.Equal(431, status);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task UnexpectedException_BecomesJson500_WithoutStackTrace()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, configure: builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<IHttpForwarder, ThrowingForwarder>()));

        using var response = await proxy.Client.PostAsync("/fpjs/result", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("{\"error\":\"Internal error.\"}", body);
        Assert.Empty(upstream.Requests);
    }

    private static void AssertAgentError(string body, string reason)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("2", root.GetProperty("v").GetString());
        Assert.Equal("IntegrationFailed", root.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("An error occurred with the proxy integration. Reason: " + reason, root.GetProperty("error").GetProperty("message").GetString());
        Assert.Matches(RequestIdPattern(), root.GetProperty("requestId").GetString());
        var epochMs = long.Parse(root.GetProperty("requestId").GetString()![..13]);
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("products").ValueKind);
        Assert.Empty(root.GetProperty("products").EnumerateObject());
    }

    [GeneratedRegex("^[0-9]{13}\\.[A-Za-z0-9]{6}$")]
    private static partial Regex RequestIdPattern();

    private sealed class ThrowingForwarder : IHttpForwarder
    {
        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer) =>
            throw new InvalidOperationException("boom at /secret/internal/path");

        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom at /secret/internal/path");
    }
}
