using System.Net;
using System.Text.Json;
using FingerprintProxy.BlackBox.Infrastructure;

namespace FingerprintProxy.BlackBox.Kestrel;

/// <summary>Which requests the published proxy forwards where, and which it answers itself (Kestrel mode).</summary>
public sealed class RoutingTests : IClassFixture<ProxyFixture>, IDisposable
{
    private readonly ProxyFixture _fixture;
    private readonly ProcessLog _log;

    public RoutingTests(ProxyFixture fixture, ITestOutputHelper output)
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

    private string UpstreamAuthority(string host) => $"{host}:{_fixture.Upstream.Port}";

    [BlackBoxTheory]
    [InlineData("apiKey=K&version=3&loaderVersion=3.12.15", "/web/v3/K/loader_v3.12.15.js")]
    [InlineData("apiKey=K", "/web/v3/K")]
    [InlineData("apiKey=Ab_9-z&version=4&loaderVersion=3.9.8_e1_noworker&q=%7e|%2F&e=&&", "/web/v4/Ab_9-z/loader_v3.9.8_e1_noworker.js")]
    public async Task AgentRequest_GoesToTheLoaderPath_WithTheQueryByteIdentical(string query, string upstreamPath)
    {
        var response = await RawHttp.SendAsync(Port, RawHttp.Head($"GET /fpjs/agent?{query} HTTP/1.1", "Host: www.example.com"));

        Assert.Equal(200, response.Status);
        var upstream = _fixture.Upstream.Single();
        Assert.Equal("GET", upstream.Method);
        Assert.Equal(UpstreamAuthority(LoopbackNames.Ingress), upstream.Host);
        Assert.Equal(upstreamPath, upstream.Path);
        Assert.Equal("?" + query, upstream.Query);
        Assert.False(upstream.HasHeader("FPJS-Proxy-Secret"));
    }

    [BlackBoxTheory]
    [InlineData("", "fpjs.localhost")]
    [InlineData("?region=eu", "eu.fpjs.localhost")]
    [InlineData("?region=ap", "ap.fpjs.localhost")]
    [InlineData("?region=us", "fpjs.localhost")]
    [InlineData("?region=EU", "fpjs.localhost")]
    [InlineData("?region=evil.example", "fpjs.localhost")]
    public async Task RegionQuery_SelectsTheIngressHost(string query, string host)
    {
        using var response = await _fixture.Proxy.Client.PostAsync("/fpjs/result" + query, new ByteArrayContent([1, 2, 3]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(UpstreamAuthority(host), _fixture.Upstream.Single().Host);
    }

    [BlackBoxTheory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/agent?apiKey=K")]
    [InlineData("GET", "/fpjsx/agent?apiKey=K")]
    [InlineData("GET", "/FPJS/agent?apiKey=K")]
    [InlineData("GET", "/other/fpjs/agent?apiKey=K")]
    [InlineData("POST", "/result")]
    [InlineData("POST", "/web/v4/K")]
    public async Task RequestOutsideTheIntegrationPath_Gets404_AndNothingIsForwarded(string method, string target)
    {
        var response = await RawHttp.SendAsync(Port, RawHttp.Head($"{method} {target} HTTP/1.1", "Host: www.example.com", "Content-Length: 2"), "{}"u8.ToArray());

        Assert.Equal(404, response.Status);
        Assert.Empty(_fixture.Upstream.Requests);
    }

    [BlackBoxFact]
    public async Task Healthz_Answers200()
    {
        using var response = await _fixture.Proxy.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_fixture.Upstream.Requests);
    }

    [BlackBoxFact]
    public async Task StatusPage_IsHtmlWithAStrictPolicy_AndNeverShowsTheSecret()
    {
        using var response = await _fixture.Proxy.Client.GetAsync("/fpjs/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'none'", string.Join(" ", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("FPJS_PRE_SHARED_SECRET", body, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyFixture.Secret, body, StringComparison.Ordinal);
        Assert.Empty(_fixture.Upstream.Requests);
    }

    [BlackBoxFact]
    public async Task StatusJson_ReportsTheSecretAsSetFromTheEnvironment_NeverItsValue()
    {
        using var response = await _fixture.Proxy.Client.GetAsync("/fpjs/status?format=json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ProxyFixture.Secret, body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("version").GetString()));
        var secret = json.RootElement.GetProperty("settings").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == "FPJS_PRE_SHARED_SECRET");
        Assert.True(secret.GetProperty("isSet").GetBoolean());
        Assert.Equal("environment", secret.GetProperty("source").GetString());
        Assert.False(json.RootElement.GetProperty("secretStore").GetProperty("enabled").GetBoolean());
        Assert.Empty(_fixture.Upstream.Requests);
    }

    public void Dispose() => _log.Dispose();
}
