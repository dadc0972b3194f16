using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using FingerprintProxy.Telemetry;
using FingerprintProxy.Tests.Infrastructure;
using FingerprintProxy.Tests.Lambda;
using Microsoft.Extensions.Logging.Console;

namespace FingerprintProxy.Tests.Telemetry;

/// <summary>Console log format and the opt-in access log, read back as the JSON lines the console would get.</summary>
public sealed class AccessLogTests
{
    private const int AccessEventId = 5001;

    [Fact]
    public async Task AccessLogOn_WritesOneJsonLinePerRequest_WithoutSecretCookieOrQuery()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port,
            ["--FPJS_ACCESS_LOG=true", "--FPJS_LOG_FORMAT=json", "--FPJS_PRE_SHARED_SECRET=never-leak-me-3"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fpjs/result?region=eu&token=hush-q-7") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Cookie", "_iidt=cookie-value-9");

        (await proxy.Client.SendAsync(request)).Dispose();
        (await proxy.Client.GetAsync("/elsewhere?token=hush-q-8")).Dispose();
        var json = JsonLogLines.Of(proxy.Services);
        // The line is written when the request ends, which may be after the client has the answer: stopping waits for it.
        await proxy.DisposeAsync();

        var lines = proxy.Logs.GetSnapshot().Where(r => r.Id.Id == AccessEventId).Select(json.Parse).ToList();
        Assert.Equal(2, lines.Count);
        var forwarded = lines[0];
        Assert.Equal(Log.AccessLogCategory, (string?)forwarded["Category"]);
        Assert.Equal("Information", (string?)forwarded["LogLevel"]);
        var state = forwarded["State"]!;
        Assert.Equal(("POST", "result", "eu", "200", "200", "2"),
            ((string?)state["Method"], (string?)state["Route"], (string?)state["Region"], (string?)state["StatusCode"], (string?)state["UpstreamStatusCode"], (string?)state["RequestBytes"]));
        Assert.True(double.Parse((string)state["UpstreamDurationMs"]!, System.Globalization.CultureInfo.InvariantCulture) >= 0);
        var refused = lines[1]["State"]!;
        Assert.Equal(("not_found", "404", "not_found"), ((string?)refused["Route"], (string?)refused["StatusCode"], (string?)refused["Refusal"]));
        Assert.Null((string?)refused["UpstreamStatusCode"]);

        var all = string.Join('\n', lines.Select(l => l.ToJsonString()));
        Assert.DoesNotContain("hush-q", all);
        Assert.DoesNotContain("token", all);
        Assert.DoesNotContain("cookie-value-9", all);
        Assert.DoesNotContain("never-leak-me-3", all);
    }

    [Fact]
    public async Task AccessLogOn_UpstreamDown_NamesTheError()
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_ACCESS_LOG=true"]);

        (await proxy.Client.GetAsync("/fpjs/agent?apiKey=K")).Dispose();
        await proxy.DisposeAsync();

        var record = Assert.Single(proxy.Logs.GetSnapshot(), r => r.Id.Id == AccessEventId);
        var state = record.StructuredState!.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(("500", "unreachable"), (state["StatusCode"], state["ErrorType"]));
        Assert.Null(state["UpstreamStatusCode"]);
    }

    [Fact]
    public async Task ByDefault_NoLinePerRequest_AndTextLogsOutsideLambda()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        (await proxy.Client.GetAsync("/fpjs/agent?apiKey=K")).Dispose();
        var formatter = JsonLogLines.FormatterName(proxy.Services);
        await proxy.DisposeAsync();

        Assert.DoesNotContain(proxy.Logs.GetSnapshot(), r => r.Id.Id == AccessEventId);
        Assert.Equal(ConsoleFormatterNames.Simple, formatter);
    }

    [Fact]
    public async Task OnLambda_LogsAreJsonLines_ByDefault()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var host = await LambdaProxyHost.StartAsync(runtime, upstream.Port);

        await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/fpjs/status").ToJsonString());

        Assert.Equal(ConsoleFormatterNames.Json, JsonLogLines.FormatterName(host.Services));
        var started = host.Logs.GetSnapshot().First(r => r.StructuredState is { Count: > 0 });
        var line = JsonLogLines.Of(host.Services).Parse(started);
        Assert.Equal(started.Id.Id, (int)line["EventId"]!);
        Assert.NotNull(line["Timestamp"]);
        Assert.Equal(started.Message, (string?)line["Message"]);
    }

    [Fact]
    public async Task TextFormat_OnLambda_IsKept()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var host = await LambdaProxyHost.StartAsync(runtime, upstream.Port, ["--FPJS_LOG_FORMAT=text"]);

        Assert.Equal(ConsoleFormatterNames.Simple, JsonLogLines.FormatterName(host.Services));
    }
}
