using System.Globalization;
using System.Net;
using System.Text.Json;
using FingerprintProxy.BlackBox.Infrastructure;

namespace FingerprintProxy.BlackBox.Kestrel;

/// <summary>A proxy whose request bodies may be at most <see cref="MaxBodyBytes"/> bytes.</summary>
public sealed class SmallBodyLimitFixture : ProxyFixture
{
    public const int MaxBodyBytes = 1024;

    protected override Dictionary<string, string> Settings(int upstreamPort)
    {
        var settings = base.Settings(upstreamPort);
        settings["FPJS_MAX_BODY_BYTES"] = MaxBodyBytes.ToString(CultureInfo.InvariantCulture);
        return settings;
    }
}

/// <summary>Bad input the published proxy refuses itself, without forwarding anything (Kestrel mode).</summary>
public sealed class ErrorTests : IClassFixture<SmallBodyLimitFixture>, IDisposable
{
    private readonly SmallBodyLimitFixture _fixture;
    private readonly ProcessLog _log;

    public ErrorTests(SmallBodyLimitFixture fixture, ITestOutputHelper output)
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

    [BlackBoxTheory]
    [InlineData("GET /fpjs/%2e%2e/admin HTTP/1.1")]
    [InlineData("GET /fpjs/web/.%2E/x HTTP/1.1")]
    [InlineData("GET /fpjs/result/./x HTTP/1.1")]
    [InlineData("GET /fpjs/web%2Fv4/K HTTP/1.1")]
    [InlineData("GET /fpjs/web%2fv4 HTTP/1.1")]
    [InlineData("GET /fpjs/web%5Cv4 HTTP/1.1")]
    [InlineData("GET /fpjs/a//b HTTP/1.1")]
    [InlineData("GET /fpjs/a%zz HTTP/1.1")]
    [InlineData("POST /fpjs/result/%2e%2e/%2e%2e/admin HTTP/1.1")]
    public async Task PathThatEscapesTheIntegrationPath_Gets400_AndIsNeverForwarded(string requestLine)
    {
        var response = await RawHttp.SendAsync(Port, RawHttp.Head(requestLine, "Host: www.example.com", "Content-Length: 0"));

        Assert.Equal(400, response.Status);
        Assert.Empty(_fixture.Upstream.Requests);
        Assert.DoesNotContain("Exception", response.BodyText, StringComparison.Ordinal);
    }

    [BlackBoxTheory]
    [InlineData("apiKey=a%2Fb")]
    [InlineData("apiKey=a/b")]
    [InlineData("apiKey=..")]
    [InlineData("apiKey=")]
    [InlineData("version=3")]
    [InlineData("apiKey=K&version=3a")]
    [InlineData("apiKey=K&loaderVersion=3.1/..")]
    public async Task AgentRequest_WithAnInvalidQueryValue_Gets400_AndIsNeverForwarded(string query)
    {
        using var response = await _fixture.Proxy.Client.GetAsync("/fpjs/agent?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetString()));
        Assert.Empty(_fixture.Upstream.Requests);
    }

    [BlackBoxFact]
    public async Task BodyOverTheLimit_Gets413BeforeItIsSent_AndNothingIsForwarded()
    {
        // Expect: 100-continue, and the body is never written: the answer must come from the head alone.
        var response = await RawHttp.SendAsync(Port, RawHttp.Head(
            "POST /fpjs/result HTTP/1.1",
            "Host: www.example.com",
            "Expect: 100-continue",
            $"Content-Length: {SmallBodyLimitFixture.MaxBodyBytes + 1}"));

        Assert.Equal(413, response.Status);
        Assert.Empty(_fixture.Upstream.Requests);
    }

    [BlackBoxFact]
    public async Task BodyAtTheLimit_IsForwarded()
    {
        var body = new byte[SmallBodyLimitFixture.MaxBodyBytes];
        Random.Shared.NextBytes(body);

        var response = await RawHttp.SendAsync(Port, RawHttp.Head("POST /fpjs/result HTTP/1.1", "Host: www.example.com", $"Content-Length: {body.Length}"), body);

        Assert.Equal(200, response.Status);
        Assert.Equal(body, _fixture.Upstream.Single().Body);
    }

    public void Dispose() => _log.Dispose();
}
