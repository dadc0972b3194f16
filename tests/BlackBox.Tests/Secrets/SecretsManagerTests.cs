using System.Text.Json;
using FingerprintProxy.BlackBox.Infrastructure;
using FingerprintProxy.BlackBox.Lambda;

namespace FingerprintProxy.BlackBox.Secrets;

/// <summary><c>moto_server</c> and a fake Fingerprint, shared by the tests of one class; each test uses its own secret.</summary>
public sealed class SecretsManagerFixture : IAsyncLifetime
{
    public MotoServer Moto { get; private set; } = null!;

    public FakeFingerprint Upstream { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Requirements.SkipReason(Needs.Moto) is not null)
        {
            return;
        }

        await LoopbackNames.EnsureAsync();
        Upstream = await FakeFingerprint.StartAsync();
        Moto = await MotoServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Moto is not null)
        {
            await Moto.DisposeAsync();
        }

        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}

/// <summary>Settings read at run time from AWS Secrets Manager (a real API: moto), and a rotation followed without a restart.</summary>
public sealed class SecretsManagerTests : IClassFixture<SecretsManagerFixture>, IDisposable
{
    private const string EnvironmentSecret = "secret-from-the-environment-8d2b";
    private static readonly TimeSpan RotationTimeout = TimeSpan.FromSeconds(15);

    private readonly SecretsManagerFixture _fixture;
    private readonly ProcessLog _log;

    public SecretsManagerTests(SecretsManagerFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _log = new ProcessLog(output);
        if (fixture.Moto is not null)
        {
            _log.Watch(fixture.Moto.Process);
            fixture.Upstream.Clear();
        }
    }

    [BlackBoxFact(Needs.Moto)]
    public async Task SecretValue_OverridesTheEnvironment_AndIsReportedAsFromSecretsManager()
    {
        var name = SecretName();
        await _fixture.Moto.CreateSecretAsync(name, SettingsJson("secret-from-secrets-manager-1"));
        await using var proxy = await StartProxyAsync(name);

        var sent = await PostAndReadSecretAsync(proxy);
        using var status = await proxy.Client.GetAsync("/fpjs/status?format=json");
        var body = await status.Content.ReadAsStringAsync();

        Assert.Equal("secret-from-secrets-manager-1", sent);
        Assert.DoesNotContain("secret-from-secrets-manager-1", body, StringComparison.Ordinal);
        Assert.DoesNotContain(EnvironmentSecret, body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var setting = json.RootElement.GetProperty("settings").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == "FPJS_PRE_SHARED_SECRET");
        Assert.True(setting.GetProperty("isSet").GetBoolean());
        Assert.Equal("Secrets Manager", setting.GetProperty("source").GetString());
        var store = json.RootElement.GetProperty("secretStore");
        Assert.True(store.GetProperty("enabled").GetBoolean());
        Assert.True(store.GetProperty("loaded").GetBoolean());
        Assert.Equal(JsonValueKind.Null, store.GetProperty("lastError").ValueKind);
    }

    [BlackBoxFact(Needs.Moto)]
    public async Task RotatedSecret_IsUsedAfterTheNextRefresh_WithoutARestart()
    {
        var name = SecretName();
        await _fixture.Moto.CreateSecretAsync(name, SettingsJson("rotation-secret-old"));
        await using var proxy = await StartProxyAsync(name);
        Assert.Equal("rotation-secret-old", await PostAndReadSecretAsync(proxy));

        await _fixture.Moto.PutSecretValueAsync(name, SettingsJson("rotation-secret-new"));
        await WaitForChangedSettingsAsync(proxy.Process);

        Assert.Equal("rotation-secret-new", await PostAndReadSecretAsync(proxy));
    }

    [BlackBoxFact(Needs.Moto)]
    public async Task LambdaFunction_UsesTheSecret_AndFollowsARotation_WithTheFunctionsRuntimeSettings()
    {
        var name = SecretName();
        await _fixture.Moto.CreateSecretAsync(name, SettingsJson("lambda-secret-old"));
        await using var runtime = await FakeLambdaRuntime.StartAsync();
        // The function's settings from template.yaml, socket completions inline among them: the secret's
        // reads and the invocations share the one I/O thread.
        await using var function = LambdaModeTests.StartFunction(runtime, SecretSettings(name));
        _log.Watch(function);
        Assert.Equal("lambda-secret-old", await InvokeAndReadSecretAsync(runtime));

        await _fixture.Moto.PutSecretValueAsync(name, SettingsJson("lambda-secret-new"));
        await WaitForChangedSettingsAsync(function);

        Assert.Equal("lambda-secret-new", await InvokeAndReadSecretAsync(runtime));
    }

    public void Dispose() => _log.Dispose();

    /// <summary>
    /// Waits for the proxy to log that changed settings are in force: the refresh runs in the proxy's own
    /// process on its own clock, and the rotated secret is the only change these tests make. The proxy
    /// logs it after the new settings have replaced the old ones, so the next request uses them.
    /// </summary>
    private static Task WaitForChangedSettingsAsync(ChildProcess process) =>
        process.WaitForLineAsync(line => line.Contains("Changed settings are in force", StringComparison.Ordinal), RotationTimeout);

    private static string SecretName() => "fingerprint/proxy-" + Guid.NewGuid().ToString("N")[..12];

    private static string SettingsJson(string proxySecret) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["FPJS_PRE_SHARED_SECRET"] = proxySecret });

    private async Task<ProxyProcess> StartProxyAsync(string secretName)
    {
        var proxy = await ProxyProcess.StartAsync(SecretSettings(secretName));
        _log.Watch(proxy.Process);
        return proxy;
    }

    /// <summary>The secret to read from moto, refreshed every second, and a proxy secret in the environment that it overrides.</summary>
    private Dictionary<string, string> SecretSettings(string secretName) =>
        new()
        {
            ["FPJS_PRE_SHARED_SECRET"] = EnvironmentSecret,
            ["FPJS_INGRESS_BASE_URL"] = LoopbackNames.IngressUrl(_fixture.Upstream.Port),
            ["FPJS_SECRET_NAME"] = secretName,
            ["FPJS_SECRET_REFRESH_SECONDS"] = "1",
            ["AWS_REGION"] = MotoServer.Region,
            ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = _fixture.Moto.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            // Nothing from this machine's AWS configuration.
            ["AWS_CONFIG_FILE"] = "/nonexistent/aws-config",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };

    /// <summary>Has the function proxy one identification event and returns the proxy secret Fingerprint received with it.</summary>
    private async Task<string?> InvokeAndReadSecretAsync(FakeLambdaRuntime runtime)
    {
        _fixture.Upstream.Clear();
        var result = await runtime.InvokeAsync(LambdaModeTests.Event("POST", "/fpjs/result", string.Empty, [1, 2, 3]));
        Assert.Equal(200, result.StatusCode);
        return _fixture.Upstream.Single().Header("FPJS-Proxy-Secret").SingleOrDefault();
    }

    /// <summary>Sends one identification request and returns the proxy secret Fingerprint received with it.</summary>
    private async Task<string?> PostAndReadSecretAsync(ProxyProcess proxy)
    {
        _fixture.Upstream.Clear();
        using var response = await proxy.Client.PostAsync("/fpjs/result", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return _fixture.Upstream.Single().Header("FPJS-Proxy-Secret").SingleOrDefault();
    }
}
