using System.Net;
using System.Text.Json;
using FingerprintProxy.Tests.Infrastructure;
using FingerprintProxy.Configuration.AwsSecretsManager;

using FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;

namespace FingerprintProxy.Tests.Secrets;

/// <summary>
/// The secret through the whole proxy: the real host on real Kestrel, the fake Secrets Manager
/// (signature-checking, session token required) and a fake Fingerprint. Credentials come from a profile in
/// a shared credentials file and the endpoint from the <c>AWS</c> configuration section, as the AWS SDK reads
/// them. Reloads are asked of the configuration provider itself (its own timer is tested with a fake clock
/// in its library's tests), so nothing here waits on the clock.
/// </summary>
public sealed class SecretsManagerPipelineTests : IAsyncLifetime
{
    private const string SecretId = "prod/fingerprint-proxy";
    private const string EnvironmentSecret = "env-proxy-secret-0c4d";
    private const string FirstSecret = "sm-proxy-secret-first-91ab";
    private const string SecondSecret = "sm-proxy-secret-second-7e3f";
    private const string SessionToken = "session-token-for-the-pipeline-5a5a";

    private FakeFingerprint _upstream = null!;
    private FakeSecretsManager _secrets = null!;
    private AwsProfile _profile = null!;
    private ProxyServer? _proxy;

    private ProxyServer Proxy => _proxy ?? throw new InvalidOperationException("Start the proxy first.");

    public async Task InitializeAsync()
    {
        _upstream = await FakeFingerprint.StartAsync();
        _secrets = await FakeSecretsManager.StartAsync("eu-west-1", SessionToken);
        _profile = AwsProfile.Create(FakeSecretsManager.AccessKey, FakeSecretsManager.SecretKey, SessionToken);
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            var logs = _proxy.Logs.AllText();
            foreach (var secret in new[] { EnvironmentSecret, FirstSecret, SecondSecret, FakeSecretsManager.SecretKey, SessionToken })
            {
                Assert.DoesNotContain(secret, logs);
            }
        }

        await _secrets.DisposeAsync();
        await _upstream.DisposeAsync();
        _profile.Dispose();
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
    public async Task RotatedSecret_IsInForceAfterTheNextRead_WithoutARestart()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""");
        await StartProxyAsync();
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/env-path/result"));

        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{SecondSecret}}"}""", "v2");
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/env-path/result"));

        await ReloadAsync();

        Assert.Equal(SecondSecret, await ProxySecretSentAsync("/env-path/result"));
    }

    [Fact]
    public async Task ChangedBehaviorPath_TakesEffectForRouting()
    {
        _secrets.SetSecret(SecretId, """{"FPJS_BEHAVIOR_PATH":"sm-path"}""");
        await StartProxyAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusCodeAsync("/sm-path/status"));

        _secrets.SetSecret(SecretId, """{"FPJS_BEHAVIOR_PATH":"sm-path-2"}""", "v2");
        await ReloadAsync();

        Assert.Equal(HttpStatusCode.OK, await StatusCodeAsync("/sm-path-2/status"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusCodeAsync("/sm-path/status"));
    }

    [Fact]
    public async Task FailingRefresh_KeepsTheLastGoodValues_AndTheStatusPageShowsTheError()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"sm-path"}""");
        await StartProxyAsync();

        _secrets.Override = FakeAnswer.Dropped;
        await ReloadAsync();
        var store = await StatusAsync("sm-path");

        Assert.True(store.GetProperty("secretStore").GetProperty("loaded").GetBoolean());
        Assert.Contains("Could not reach Secrets Manager", store.GetProperty("secretStore").GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.String, store.GetProperty("secretStore").GetProperty("lastErrorAt").ValueKind);
        Assert.Contains(store.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("Secrets Manager: Could not reach", StringComparison.Ordinal));
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/sm-path/result"));

        _secrets.Override = null;
        await ReloadAsync();
        Assert.Equal(JsonValueKind.Null, (await StatusAsync("sm-path")).GetProperty("secretStore").GetProperty("lastError").ValueKind);
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/sm-path/result"));
    }

    [Fact]
    public async Task InvalidSettingInTheSecret_IsRefusedWhole_AndTheLastGoodValuesStay()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"sm-path"}""");
        await StartProxyAsync();

        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{SecondSecret}}","FPJS_BEHAVIOR_PATH":"sm path"}""", "v2");
        await ReloadAsync();
        var warnings = (await StatusAsync("sm-path")).GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray();

        var refusal = Assert.Single(warnings, w => w.StartsWith("A settings change was refused", StringComparison.Ordinal));
        Assert.Contains("FPJS_BEHAVIOR_PATH must be empty or made of letters", refusal);
        Assert.DoesNotContain(SecondSecret, refusal);
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/sm-path/result"));
        Assert.Contains(Proxy.Logs.GetSnapshot(), e => e.Id.Id == 3002);

        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{SecondSecret}}","FPJS_BEHAVIOR_PATH":"sm-path"}""", "v3");
        await ReloadAsync();
        Assert.Equal(SecondSecret, await ProxySecretSentAsync("/sm-path/result"));
        Assert.DoesNotContain((await StatusAsync("sm-path")).GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("A settings change", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MalformedSecret_IsRejected_AndTheLastGoodValuesStay()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"sm-path"}""");
        await StartProxyAsync();

        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{SecondSecret}}",""", "v2");
        await ReloadAsync();
        var error = (await StatusAsync("sm-path")).GetProperty("secretStore").GetProperty("lastError").GetString()!;

        Assert.Contains("not valid JSON", error);
        Assert.DoesNotContain(SecondSecret, error);
        Assert.Equal(FirstSecret, await ProxySecretSentAsync("/sm-path/result"));
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
        Assert.Equal(HostSettingSource, Setting(status, "FPJS_PRE_SHARED_SECRET").GetProperty("source").GetString());
        using (var ready = await Proxy.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        }

        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"sm-path"}""");
        _secrets.Override = null;
        await ReloadAsync();

        Assert.Equal(HttpStatusCode.OK, await StatusCodeAsync("/sm-path/status"));
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
        Assert.Equal(HostSettingSource, Setting(status, "FPJS_SECRET_NAME").GetProperty("source").GetString());
        Assert.Equal("default", Setting(status, "FPJS_AGENT_DOWNLOAD_PATH").GetProperty("source").GetString());
        Assert.Equal("default", Setting(status, "FPJS_AGENT_DOWNLOAD_PATH").GetProperty("state").GetString());
        var store = status.GetProperty("secretStore");
        Assert.Equal("AWS Secrets Manager", store.GetProperty("name").GetString());
        Assert.Equal("prod/fingerprint-proxy (eu-west-1)", store.GetProperty("target").GetString());
        Assert.True(store.GetProperty("loaded").GetBoolean());
        Assert.Equal(JsonValueKind.String, store.GetProperty("lastRefresh").ValueKind);
        Assert.Equal(JsonValueKind.Null, store.GetProperty("lastError").ValueKind);
        Assert.Contains("prod/fingerprint-proxy (eu-west-1)", htmlText);
    }

    [Fact]
    public async Task CloudFrontOrigin_WhileTheSecretHasNotLoaded_RefusesEveryRequest_ThenAcceptsTheValueFromIt()
    {
        _secrets.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "AccessDeniedException", "not yet");
        await StartProxyAsync("--FPJS_VIEWER_CONTEXT=cloudfront-origin");

        using (var refused = await SendWithVerifyAsync("/env-path/result", "verify-from-the-secret-4d2c"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Empty(_upstream.Requests);
        // The status page is under the integration path, locked like the rest; readiness says why traffic should wait.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusCodeAsync("/readyz"));

        _secrets.SetSecret(SecretId, """{"FPJS_ORIGIN_VERIFY_SECRET":"verify-from-the-secret-4d2c"}""");
        _secrets.Override = null;
        await ReloadAsync();

        using var accepted = await SendWithVerifyAsync("/env-path/result", "verify-from-the-secret-4d2c");
        using var wrong = await SendWithVerifyAsync("/env-path/result", "another-value");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task LimitsAndIngressFromTheSecret_AreInForce()
    {
        _secrets.SetSecret(SecretId, """{"FPJS_MAX_BODY_BYTES":"100","FPJS_INGRESS_BASE_URL":"http://other.localhost"}""");
        await StartProxyAsync();

        using var small = await Proxy.Client.PostAsync("/env-path/result", new ByteArrayContent(new byte[100]));
        var request = new HttpRequestMessage(HttpMethod.Post, "/env-path/result") { Content = new ByteArrayContent(new byte[101]) };
        request.Headers.ExpectContinue = true;
        using var large = await Proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal("other.localhost", _upstream.Single().Host);
        Assert.Equal(["other.localhost"], Proxy.UpstreamHosts.Distinct());
    }

    [Fact]
    public async Task ViewerContextFromTheSecret_IsInForce()
    {
        _secrets.SetSecret(SecretId, """{"FPJS_VIEWER_CONTEXT":"lambda-edge","FPJS_ORIGIN_VERIFY_SECRET":"verify-7e1f"}""");
        await StartProxyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/env-path/result") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("x-origin-verify", "verify-7e1f");
        request.Headers.TryAddWithoutValidation("x-fpjs-viewer-ip", "198.51.100.23");

        using var response = await Proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["198.51.100.23"], _upstream.Single().Header("FPJS-Proxy-Client-IP"));
    }

    private async Task<HttpResponseMessage> SendWithVerifyAsync(string target, string verify)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("x-origin-verify", verify);
        return await Proxy.Client.SendAsync(request);
    }

    [Fact]
    public async Task BadSecretsManagerSetting_StopsStartUp_WithoutReadingTheSecret()
    {
        _secrets.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""");

        await Assert.ThrowsAnyAsync<Exception>(() => ProxyServer.StartAsync(_upstream.Port,
        [
            $"--FPJS_SECRET_NAME={SecretId}",
            "--FPJS_SECRET_REFRESH_SECONDS=0",
            $"--AWS:ServiceURL={_secrets.Endpoint}",
            $"--AWS:Profile={AwsProfile.Name}",
            $"--AWS:ProfilesLocation={_profile.Path}",
        ]));

        Assert.Empty(_secrets.Requests);
    }

    private async Task StartProxyAsync(params string[] extra) => _proxy = await ProxyServer.StartAsync(_upstream.Port,
    [
        .. extra,
        $"--FPJS_PRE_SHARED_SECRET={EnvironmentSecret}",
        "--FPJS_BEHAVIOR_PATH=env-path",
        $"--FPJS_SECRET_NAME={SecretId}",
        $"--FPJS_SECRET_REGION={_secrets.Region}",
        "--FPJS_SECRET_REFRESH_SECONDS=1",
        $"--AWS:ServiceURL={_secrets.Endpoint}",
        $"--AWS:Profile={AwsProfile.Name}",
        $"--AWS:ProfilesLocation={_profile.Path}",
    ]);

    /// <summary>What the status page names as the source of a setting given to the test host.</summary>
    private const string HostSettingSource = "command line";

    /// <summary>Reads the secret now, as the provider's timer would.</summary>
    private Task ReloadAsync() =>
        Proxy.Services.GetRequiredService<SecretsManagerConfigurationProvider>().ReloadAsync(CancellationToken.None);

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
}
