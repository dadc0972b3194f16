using System.Net;
using System.Text.Json;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Tests.Secrets;

/// <summary>
/// The secret through the whole proxy: Program.CreateApp on real Kestrel, the fake Secrets Manager
/// (signature-checking, session token required) and a fake Fingerprint, with a 1 s refresh interval.
/// Credentials come from AWS_* command-line configuration, as they would from the environment.
/// </summary>
public sealed class SecretsManagerPipelineTests : IAsyncLifetime
{
    private const string SecretId = "prod/fingerprint-proxy";
    private const string EnvironmentSecret = "env-proxy-secret-0c4d";
    private const string FirstSecret = "sm-proxy-secret-first-91ab";
    private const string SecondSecret = "sm-proxy-secret-second-7e3f";
    private const string SessionToken = "session-token-for-the-pipeline-5a5a";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private FakeFingerprint _upstream = null!;
    private FakeSecretsManager _secrets = null!;
    private ProxyServer? _proxy;

    private ProxyServer Proxy => _proxy ?? throw new InvalidOperationException("Start the proxy first.");

    public async Task InitializeAsync()
    {
        _upstream = await FakeFingerprint.StartAsync();
        _secrets = await FakeSecretsManager.StartAsync("eu-west-1", SessionToken);
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            var logs = _proxy.Logs.AllText;
            foreach (var secret in new[] { EnvironmentSecret, FirstSecret, SecondSecret, FakeSecretsManager.SecretKey, SessionToken })
            {
                Assert.DoesNotContain(secret, logs);
            }
        }

        await _secrets.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task SecretValues_AreInForceForRoutingAndTheProxySecret()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"sm-path","fpjs_get_result_path":"sm-result"}""");
        await StartProxyAsync();

        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/sm-path/sm-result?ii=agent/1"));
        Assert.Equal("/", _upstream.Single().Path);
        Assert.Equal(HttpStatusCode.OK, await StatusCodeAsync("/readyz"));

        using var old = await Proxy.Client.PostAsync("/env-path/result", new ByteArrayContent([1]));
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.DoesNotContain(EnvironmentSecret, await old.Content.ReadAsStringAsync());

        Assert.NotEmpty(_secrets.Requests);
        Assert.All(_secrets.Requests, r => Assert.Null(r.Refusal));
        Assert.All(_secrets.Requests, r => Assert.Equal(SessionToken, r.Headers["X-Amz-Security-Token"]));
    }

    [Fact]
    public async Task RotatedSecret_IsInForceWithinTheRefreshInterval_WithoutAFailedRequest()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""");
        await StartProxyAsync();
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/env-path/result"));

        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{SecondSecret}}"}""", "v2");

        var seen = new List<string?>();
        var deadline = DateTime.UtcNow + Patience;
        while (seen.LastOrDefault() != SecondSecret)
        {
            Assert.True(DateTime.UtcNow < deadline, "The rotated secret was not used in time.");
            seen.Add(await ProxySecretSentAsync("/env-path/result"));
        }

        Assert.All(seen, s => Assert.Contains(s, new[] { FirstSecret, SecondSecret }));
        Assert.Equal(SecondSecret, await ProxySecretSentAsync("/env-path/result"));
    }

    [Fact]
    public async Task ChangedBehaviorPath_TakesEffectForRouting()
    {
        _secrets.SetSecret(SecretId, """{"FPJS_BEHAVIOR_PATH":"sm-path"}""");
        await StartProxyAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusCodeAsync("/sm-path/status"));

        _secrets.SetSecret(SecretId, """{"FPJS_BEHAVIOR_PATH":"sm-path-2"}""", "v2");

        await EventuallyAsync(() => StatusCodeAsync("/sm-path-2/status"), code => code == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, await StatusCodeAsync("/sm-path/status"));
    }

    [Fact]
    public async Task FailingRefresh_KeepsTheLastGoodValues_AndTheStatusPageShowsTheError()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"sm-path"}""");
        await StartProxyAsync();

        _secrets.Override = FakeAnswer.Dropped;
        var store = await EventuallyAsync(() => StatusAsync("sm-path"),
            report => report.GetProperty("secretStore").GetProperty("lastError").ValueKind == JsonValueKind.String);

        Assert.True(store.GetProperty("secretStore").GetProperty("loaded").GetBoolean());
        Assert.Contains("Could not reach Secrets Manager", store.GetProperty("secretStore").GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.String, store.GetProperty("secretStore").GetProperty("lastErrorAt").ValueKind);
        Assert.Contains(store.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("AWS Secrets Manager: Could not reach", StringComparison.Ordinal));
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/sm-path/result"));

        _secrets.Override = null;
        await EventuallyAsync(() => StatusAsync("sm-path"),
            report => report.GetProperty("secretStore").GetProperty("lastError").ValueKind == JsonValueKind.Null);
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/sm-path/result"));
    }

    [Fact]
    public async Task MalformedSecret_IsRejectedWhole_AndTheLastGoodValuesStay()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"sm-path"}""");
        await StartProxyAsync();

        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{SecondSecret}}","FPJS_BEHAVIOR_PATH":"sm path"}""", "v2");
        var status = await EventuallyAsync(() => StatusAsync("sm-path"),
            report => report.GetProperty("secretStore").GetProperty("lastError").ValueKind == JsonValueKind.String);
        var error = status.GetProperty("secretStore").GetProperty("lastError").GetString()!;

        Assert.Contains("FPJS_BEHAVIOR_PATH must be empty or made of letters", error);
        Assert.DoesNotContain(SecondSecret, error);
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/sm-path/result"));
        Assert.Contains(Proxy.Logs.Entries, e => e.EventId.Id == 4003);
    }

    [Fact]
    public async Task FirstLoadFails_ProxyStartsOnTheOtherSettings_AndLoadsOnceTheSecretIsReadable()
    {
        _secrets.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "AccessDeniedException",
            "User: arn:aws:sts::123456789012:assumed-role/proxy is not authorized to perform: secretsmanager:GetSecretValue");
        await StartProxyAsync();

        Assert.Equal(EnvironmentSecret, await ProxySecretSentAsync("/env-path/result"));
        var status = await StatusAsync("env-path");
        var store = status.GetProperty("secretStore");
        Assert.True(store.GetProperty("enabled").GetBoolean());
        Assert.False(store.GetProperty("loaded").GetBoolean());
        Assert.StartsWith("AccessDeniedException (HTTP 400): User: arn:aws:sts::", store.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, store.GetProperty("lastRefresh").ValueKind);
        Assert.Equal("command line", Setting(status, "FPJS_PRE_SHARED_SECRET").GetProperty("source").GetString());
        using (var ready = await Proxy.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("not ready: AWS Secrets Manager has not loaded yet", await ready.Content.ReadAsStringAsync());
        }

        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"sm-path"}""");
        _secrets.Override = null;

        await EventuallyAsync(() => StatusCodeAsync("/sm-path/status"), code => code == HttpStatusCode.OK);
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/sm-path/result"));
        Assert.Equal(HttpStatusCode.OK, await StatusCodeAsync("/readyz"));
    }

    [Fact]
    public async Task StatusPage_ReportsSourcesAndTheSecretStore_NeverTheSecret()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"sm-path"}""");
        await StartProxyAsync();

        using var json = await Proxy.Client.GetAsync("/sm-path/status?format=json");
        using var html = await Proxy.Client.GetAsync("/sm-path/status");

        var jsonText = await json.Content.ReadAsStringAsync();
        var htmlText = await html.Content.ReadAsStringAsync();
        foreach (var secret in new[] { FirstSecret, EnvironmentSecret, FakeSecretsManager.SecretKey, SessionToken })
        {
            Assert.DoesNotContain(secret, jsonText);
            Assert.DoesNotContain(secret, htmlText);
        }

        var status = JsonDocument.Parse(jsonText).RootElement;
        Assert.Equal("Secrets Manager", Setting(status, "FPJS_PRE_SHARED_SECRET").GetProperty("source").GetString());
        Assert.Equal("Secrets Manager", Setting(status, "FPJS_BEHAVIOR_PATH").GetProperty("source").GetString());
        Assert.Equal("command line", Setting(status, "FPJS_SECRET_NAME").GetProperty("source").GetString());
        Assert.Equal("appsettings.json", Setting(status, "FPJS_AGENT_DOWNLOAD_PATH").GetProperty("source").GetString());
        var store = status.GetProperty("secretStore");
        Assert.Equal("AWS Secrets Manager", store.GetProperty("name").GetString());
        Assert.Equal("prod/fingerprint-proxy (eu-west-1)", store.GetProperty("target").GetString());
        Assert.True(store.GetProperty("loaded").GetBoolean());
        Assert.Equal(JsonValueKind.String, store.GetProperty("lastRefresh").ValueKind);
        Assert.Equal(JsonValueKind.Null, store.GetProperty("lastError").ValueKind);
        Assert.Contains("prod/fingerprint-proxy (eu-west-1)", htmlText);
    }

    [Fact]
    public async Task BadSecretsManagerSetting_StopsStartUpWithAMessageNamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ProxyServer.StartAsync(_upstream.Port, [$"--FPJS_SECRET_NAME={SecretId}", "--FPJS_SECRET_REFRESH_SECONDS=0"]));

        Assert.Contains("FPJS_SECRET_REFRESH_SECONDS must be a number of seconds between 1 and 86400.", error.Message);
    }

    private async Task StartProxyAsync() => _proxy = await ProxyServer.StartAsync(_upstream.Port,
    [
        $"--FPJS_PRE_SHARED_SECRET={EnvironmentSecret}",
        "--FPJS_BEHAVIOR_PATH=env-path",
        $"--FPJS_SECRET_NAME={SecretId}",
        $"--FPJS_SECRET_REGION={_secrets.Region}",
        "--FPJS_SECRET_REFRESH_SECONDS=1",
        $"--AWS_ENDPOINT_URL_SECRETS_MANAGER={_secrets.Endpoint}",
        $"--AWS_ACCESS_KEY_ID={FakeSecretsManager.AccessKey}",
        $"--AWS_SECRET_ACCESS_KEY={FakeSecretsManager.SecretKey}",
        $"--AWS_SESSION_TOKEN={SessionToken}",
    ]);

    /// <summary>POSTs through the proxy and returns the FPJS-Proxy-Secret that reached Fingerprint.</summary>
    private async Task<string?> ProxySecretSentAsync(string target)
    {
        _upstream.Clear();
        using var response = await Proxy.Client.PostAsync(target, new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return _upstream.Single().Header("FPJS-Proxy-Secret").SingleOrDefault();
    }

    private async Task<JsonElement> StatusAsync(string behaviorPath)
    {
        using var response = await Proxy.Client.GetAsync($"/{behaviorPath}/status?format=json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Setting(JsonElement status, string name) =>
        status.GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    private async Task<HttpStatusCode> StatusCodeAsync(string target)
    {
        using var response = await Proxy.Client.GetAsync(target);
        return response.StatusCode;
    }

    /// <summary>Probes until <paramref name="done"/> holds, failing after a generous deadline; returns the last probe.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(100);
        }
    }
}
