using System.Net;
using System.Text.Json;
using FingerprintProxy.BlackBox.Infrastructure;

namespace FingerprintProxy.BlackBox.Kestrel;

/// <summary>The published proxy pointed at an ingress port where nothing listens.</summary>
public sealed class UpstreamDownFixture : IAsyncLifetime
{
    public ProxyProcess Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Requirements.SkipReason(Needs.Nothing) is not null)
        {
            return;
        }

        await LoopbackNames.EnsureAsync();
        Proxy = await ProxyProcess.StartAsync(new Dictionary<string, string>
        {
            ["FPJS_PRE_SHARED_SECRET"] = ProxyFixture.Secret,
            ["FPJS_INGRESS_BASE_URL"] = LoopbackNames.IngressUrl(FreePort.Closed()),
        });
    }

    public async Task DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }
    }
}

/// <summary>Fingerprint unreachable: the answers the JS agent understands (Kestrel mode).</summary>
public sealed class UpstreamDownTests : IClassFixture<UpstreamDownFixture>, IDisposable
{
    private readonly UpstreamDownFixture _fixture;
    private readonly ProcessLog _log;

    public UpstreamDownTests(UpstreamDownFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _log = new ProcessLog(output);
        if (fixture.Proxy is not null)
        {
            _log.Watch(fixture.Proxy.Process);
        }
    }

    [BlackBoxTheory]
    [InlineData("/fpjs/result?region=eu")]
    [InlineData("/fpjs/web/v4/K")]
    public async Task Post_AnswersTheAgentErrorShape_WithCors(string target)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent([1, 2, 3]) };
        request.Headers.TryAddWithoutValidation("Origin", "https://www.example.com");

        using var response = await _fixture.Proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["https://www.example.com"], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(["true"], response.Headers.GetValues("Access-Control-Allow-Credentials"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ProxyFixture.Secret, body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("2", root.GetProperty("v").GetString());
        Assert.Equal("IntegrationFailed", root.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith("An error occurred with the proxy integration. Reason: ", root.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Matches("^[0-9]{13}\\.[A-Za-z0-9]{6}$", root.GetProperty("requestId").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("products").ValueKind);
        Assert.Empty(root.GetProperty("products").EnumerateObject());
    }

    [BlackBoxTheory]
    [InlineData("GET", "/fpjs/agent?apiKey=K&version=3&loaderVersion=3.12.15")]
    [InlineData("GET", "/fpjs/result/browser-cache/x")]
    [InlineData("PUT", "/fpjs/x")]
    public async Task OtherMethods_Answer500WithAnErrorObject(string method, string target)
    {
        using var response = await _fixture.Proxy.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), target));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var property = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal("error", property.Name);
        Assert.False(string.IsNullOrEmpty(property.Value.GetString()));
    }

    public void Dispose() => _log.Dispose();
}
