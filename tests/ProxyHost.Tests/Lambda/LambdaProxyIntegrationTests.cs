using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using System.Text.Json.Nodes;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.Tests.Lambda;

/// <summary>
/// The real proxy route in Lambda mode: what reaches Fingerprint is what
/// Kestrel mode sends for the same browser request, and what comes back reaches the Function URL intact.
/// </summary>
public sealed class LambdaProxyIntegrationTests : IClassFixture<LambdaFixture>
{
    private readonly LambdaFixture _fixture;

    public LambdaProxyIntegrationTests(LambdaFixture fixture)
    {
        _fixture = fixture;
        fixture.Upstream.Clear();
    }

    [Theory]
    [InlineData(FunctionUrlEvents.PostBinaryBody, "2a02:8108:1240:7d00:4c1f:c2ff:fe3a:91b7")]
    [InlineData(FunctionUrlEvents.GetEncodedPath, null)]
    public async Task UpstreamRequest_FromLambdaMode_IsIdenticalToKestrelMode(string eventFile, string? clientIp)
    {
        var evt = FunctionUrlEvents.Load(eventFile);

        var posted = await _fixture.Runtime.InvokeAsync(evt.ToJsonString());
        var fromLambda = _fixture.Upstream.Single();
        _fixture.Upstream.Clear();
        var (head, body) = FunctionUrlEvents.ToRawHttp(evt);
        var (status, _) = await RawHttp.SendAsync(_fixture.Kestrel.Port, head, body);
        var fromKestrel = _fixture.Upstream.Single();

        Assert.Equal(200, posted.StatusCode);
        Assert.Equal(200, status);
        Assert.Equal(fromKestrel.Method, fromLambda.Method);
        Assert.Equal(fromKestrel.RawTarget, fromLambda.RawTarget);
        Assert.Equal(fromKestrel.Host, fromLambda.Host);
        Assert.Equal(fromKestrel.Body, fromLambda.Body);
        // The viewer is the connection's peer: 127.0.0.1 for Kestrel here, the event's sourceIp on Lambda.
        Assert.Equal(Comparable(fromKestrel), Comparable(fromLambda));
        if (clientIp is not null)
        {
            Assert.Equal([clientIp], fromLambda.Header("FPJS-Proxy-Client-IP"));
            Assert.Equal(["127.0.0.1"], fromKestrel.Header("FPJS-Proxy-Client-IP"));
        }

        // The identification signals arrive byte-identical, whole, in one value each.
        var headers = evt["headers"]!.AsObject();
        Assert.Equal([(string)headers["user-agent"]!], fromLambda.Header("User-Agent"));
        Assert.Equal([(string)headers["sec-ch-ua"]!], fromLambda.Header("sec-ch-ua"));
        Assert.Equal(FunctionUrlEvents.Body(evt), fromLambda.Body);
    }

    [Fact]
    public async Task PostEvent_ForwardsOnlyIidtCookie_AndTheBinaryBodyUnchanged()
    {
        var evt = FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody);

        await _fixture.Runtime.InvokeAsync(evt.ToJsonString());

        var upstream = _fixture.Upstream.Single();
        Assert.Equal(["_iidt=7A8iJ2Dgb3T+CPn0Zl3zyWlN9r/hWnTU2fWXtu7C3bYB7ffXhvSC1g3hXO+6p6iM1Zml8rsDfQ=="], upstream.Header("Cookie"));
        Assert.Equal(FunctionUrlEvents.Body(evt), upstream.Body);
        Assert.Equal("?ci=js/3.12.5&ii=fingerprint-pro-react%2F2.6.3%2Fnext&ii=b&q=%7e|x&" + BuildVersion.IiParameter, upstream.Query);
    }

    [Fact]
    public async Task UpstreamSetCookies_RoundTripOnePerEntryInCookies()
    {
        string[] setCookies =
        [
            "_iidt=Jq3bMj0uUq8yG1xT+KJ1v6lS/2R0nA==; Path=/; Expires=Sun, 21 Nov 2027 09:14:07 GMT; HttpOnly; Secure; SameSite=None",
            "_vid_t=oN2dM3lNbu0w8SfNQ6wJ6A==; Path=/; Max-Age=31536000; Secure; SameSite=Lax",
            "fp_test=1; Path=/",
        ];
        _fixture.Upstream.Responder = context =>
        {
            context.Response.Headers.Append("Set-Cookie", setCookies);
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{\"products\":{}}");
        };

        var result = await _fixture.Runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody).ToJsonString());

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(setCookies, result.Cookies);
        Assert.DoesNotContain(result.Headers.Keys, k => k.Equals("set-cookie", StringComparison.OrdinalIgnoreCase));
        Assert.False(result.IsBase64Encoded);
        Assert.Equal("{\"products\":{}}", result.BodyText);
    }

    [Fact]
    public async Task UpstreamBinaryAndCompressedBodies_RoundTripByteForByte()
    {
        var body = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31 % 256)).ToArray();
        _fixture.Upstream.Responder = context =>
        {
            context.Response.ContentType = "application/javascript";
            context.Response.Headers.ContentEncoding = "br";
            context.Response.Headers.CacheControl = "public, max-age=7200";
            return context.Response.Body.WriteAsync(body).AsTask();
        };

        var result = await _fixture.Runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.GetEncodedPath).ToJsonString());

        Assert.Equal(200, result.StatusCode);
        Assert.True(result.IsBase64Encoded);
        Assert.Equal(body, result.BodyBytes);
        Assert.Equal("br", result.Headers["Content-Encoding"]);
    }

    [Fact]
    public async Task UpstreamUnreachable_OnPost_AnswersTheContractsAgentError()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        await using var host = await LambdaProxyHost.StartAsync(runtime, FakeFingerprint.ClosedPort());

        var result = await runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody).ToJsonString());

        Assert.False(result.IsError);
        Assert.Equal(500, result.StatusCode);
        Assert.StartsWith("application/json", result.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("https://www.example.com", result.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal("true", result.Headers["Access-Control-Allow-Credentials"]);
        var error = result.BodyJson;
        Assert.Equal("2", (string?)error["v"]);
        Assert.Equal("IntegrationFailed", (string?)error["error"]!["code"]);
        Assert.StartsWith("An error occurred with the proxy integration. Reason: ", (string?)error["error"]!["message"], StringComparison.Ordinal);
        Assert.Matches("^[0-9]{13}\\.[A-Za-z0-9]{6}$", (string?)error["requestId"]);
        Assert.Equal(new JsonObject().ToJsonString(), error["products"]!.ToJsonString());
    }

    [Fact]
    public async Task UpstreamUnreachable_OnGet_AnswersJsonError500()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        await using var host = await LambdaProxyHost.StartAsync(runtime, FakeFingerprint.ClosedPort());

        var result = await runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.GetEncodedPath).ToJsonString());

        Assert.Equal(500, result.StatusCode);
        Assert.StartsWith("application/json", result.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)result.BodyJson["error"]));
    }

    [Fact]
    public async Task StatusPage_IsServedInLambdaMode()
    {
        var result = await _fixture.Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/fpjs/status", "format=json").ToJsonString());

        Assert.Equal(200, result.StatusCode);
        Assert.Empty(_fixture.Upstream.Requests);
        Assert.DoesNotContain(ProxyFixture.Secret, result.BodyText, StringComparison.Ordinal);
    }

    /// <summary>Every header except the viewer IP, names case-insensitive, values exactly as received.</summary>
    private static List<string> Comparable(RecordedRequest request) =>
        request.Headers
            .Where(h => !h.Key.Equals("FPJS-Proxy-Client-IP", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Select(v => h.Key.ToLowerInvariant() + ": " + v))
            .Order(StringComparer.Ordinal)
            .ToList();
}
