using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FingerprintProxy.Tests.Infrastructure;

namespace FingerprintProxy.Tests.Status;

/// <summary>docs/contract.md, "Status page": the status page in both formats, with and without a secret.</summary>
public sealed partial class StatusPageTests
{
    private const string Secret = "status-secret-value-7d1e";

    [Fact]
    public async Task Json_WithSecret_ReportsSetFromCommandLine_NeverTheValue()
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), [$"--FPJS_PRE_SHARED_SECRET={Secret}"]);

        using var response = await proxy.Client.GetAsync("/fpjs/status?format=json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(BuildVersion.Value, root.GetProperty("version").GetString());
        Assert.Equal("fingerprint-pro-aws-dotnet", root.GetProperty("integration").GetProperty("name").GetString());
        Assert.Equal(BuildVersion.Ii, root.GetProperty("integration").GetProperty("ii").GetString());
        Assert.Equal("direct", root.GetProperty("viewerContext").GetString());
        var secret = Setting(root, "FPJS_PRE_SHARED_SECRET");
        Assert.True(secret.GetProperty("isSet").GetBoolean());
        Assert.Equal("set", secret.GetProperty("state").GetString());
        Assert.Equal("command line", secret.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, secret.GetProperty("value").ValueKind);
        // appsettings.json holds no copy of a default: the default is reported as such.
        Assert.Equal("default", Setting(root, "FPJS_BEHAVIOR_PATH").GetProperty("source").GetString());
        Assert.Equal("default", Setting(root, "FPJS_BEHAVIOR_PATH").GetProperty("state").GetString());
        Assert.Equal("required", Setting(root, "FPJS_BEHAVIOR_PATH").GetProperty("group").GetString());
        var ingress = Setting(root, "FPJS_INGRESS_BASE_URL");
        Assert.Equal("http://fpjs.localhost", ingress.GetProperty("value").GetString());
        Assert.False(root.GetProperty("secretStore").GetProperty("enabled").GetBoolean());
        Assert.Empty(root.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task Json_WithoutSecret_ReportsMissingAndWarns()
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_PRE_SHARED_SECRET="]);

        using var response = await proxy.Client.GetAsync("/fpjs/status?format=json");

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var secret = Setting(json.RootElement, "FPJS_PRE_SHARED_SECRET");
        Assert.False(secret.GetProperty("isSet").GetBoolean());
        Assert.Equal("missing", secret.GetProperty("state").GetString());
        Assert.Contains(json.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("FPJS_PRE_SHARED_SECRET"));
    }

    [Fact]
    public async Task Json_SetAndUnsetSettings_SayWhereTheyCameFrom_AndAnUnsetOptionalIsNotSet()
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_BEHAVIOR_PATH=edge-metrics"]);

        using var response = await proxy.Client.GetAsync("/edge-metrics/status?format=json");

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var behavior = Setting(json.RootElement, "FPJS_BEHAVIOR_PATH");
        Assert.Equal("edge-metrics", behavior.GetProperty("value").GetString());
        Assert.Equal("command line", behavior.GetProperty("source").GetString());
        var secretName = Setting(json.RootElement, "FPJS_SECRET_NAME");
        Assert.Equal("not set", secretName.GetProperty("state").GetString());
        Assert.Equal("optional", secretName.GetProperty("group").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Html_HasNonceCsp_AndNeverTheSecret(bool withSecret)
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), [$"--FPJS_PRE_SHARED_SECRET={(withSecret ? Secret : string.Empty)}"]);

        using var response = await proxy.Client.GetAsync("/fpjs/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        var nonce = NoncePattern().Match(csp).Groups[1].Value;
        Assert.True(nonce.Length >= 16, csp);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<style nonce=\"{nonce}\">", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain(Secret, html);
        Assert.Contains("FPJS_PRE_SHARED_SECRET", html);
        Assert.Contains(BuildVersion.Ii, html);
        Assert.Contains(withSecret ? "(hidden)" : "missing", html);
    }

    [Fact]
    public async Task Html_NonceChangesPerRequest()
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort());

        using var first = await proxy.Client.GetAsync("/fpjs/status");
        using var second = await proxy.Client.GetAsync("/fpjs/status");

        Assert.NotEqual(first.Headers.GetValues("Content-Security-Policy").Single(), second.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task EmptyBehaviorPath_ServesStatusAtRoot()
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_BEHAVIOR_PATH="]);

        using var response = await proxy.Client.GetAsync("/status?format=json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static JsonElement Setting(JsonElement root, string name) =>
        root.GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();

    [Fact]
    public async Task Json_ListsEverySetting_InTheirGroups()
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort());

        using var json = JsonDocument.Parse(await proxy.Client.GetStringAsync("/fpjs/status?format=json"));
        var settings = json.RootElement.GetProperty("settings").EnumerateArray()
            .Select(s => (Name: s.GetProperty("name").GetString(), Group: s.GetProperty("group").GetString())).ToArray();

        Assert.Equal(
        [
            "FPJS_PRE_SHARED_SECRET", "FPJS_BEHAVIOR_PATH", "FPJS_AGENT_DOWNLOAD_PATH", "FPJS_GET_RESULT_PATH",
            "FPJS_INGRESS_BASE_URL", "FPJS_VIEWER_CONTEXT", "FPJS_ORIGIN_VERIFY_HEADER", "FPJS_ORIGIN_VERIFY_SECRET",
            "FPJS_ORIGIN_VERIFY_SECRET_PREVIOUS", "FPJS_CONNECT_TIMEOUT_SECONDS", "FPJS_RESPONSE_TIMEOUT_SECONDS",
            "FPJS_MAX_BODY_BYTES", "FPJS_SHUTDOWN_DRAIN_SECONDS", "FPJS_LOG_FORMAT", "FPJS_ACCESS_LOG", "FPJS_METRICS_EMF",
            "FPJS_METRICS_NAMESPACE", "FPJS_SECRET_NAME", "FPJS_SECRET_REGION", "FPJS_SECRET_REFRESH_SECONDS", "FPJS_SECRET_TIMEOUT_SECONDS",
        ], settings.Select(s => s.Name));
        Assert.Equal(4, settings.Count(s => s.Group == "required"));
        Assert.Equal(17, settings.Count(s => s.Group == "optional"));
    }

    [Fact]
    public async Task Json_EmptyBehaviorPath_IsReportedAsSet_FromItsSource()
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_BEHAVIOR_PATH="]);

        using var json = JsonDocument.Parse(await proxy.Client.GetStringAsync("/status?format=json"));
        var behavior = Setting(json.RootElement, "FPJS_BEHAVIOR_PATH");

        Assert.Equal("set", behavior.GetProperty("state").GetString());
        Assert.Equal("command line", behavior.GetProperty("source").GetString());
        Assert.Equal(string.Empty, behavior.GetProperty("value").GetString());
    }
}
