using System.Net;
using Amazon.Runtime;
using FingerprintProxy.Configuration;
using FingerprintProxy.Secrets;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.Tests.Secrets;

public sealed class SecretsManagerSettingsSourceTests : IAsyncLifetime
{
    private const string SecretId = "fpjs/settings";
    private const string FirstSecret = "first-proxy-secret-1f0a";
    private const string SecondSecret = "second-proxy-secret-2b9c";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private FakeSecretsManager _fake = null!;
    private readonly LogCapture _logs = new();
    private ServiceProvider? _services;

    public async Task InitializeAsync() => _fake = await FakeSecretsManager.StartAsync("eu-west-1");

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.GetRequiredService<SecretsManagerSettingsSource>().StopAsync(CancellationToken.None);
            await _services.DisposeAsync();
        }

        await _fake.DisposeAsync();
        AssertLogsNeverContainSecrets();
    }

    [Fact]
    public void Registration_WithoutSecretName_RegistersNothing()
    {
        var services = new ServiceCollection();

        services.AddSecretsManagerSettings(new ConfigurationBuilder().Build());

        Assert.Empty(services);
    }

    [Fact]
    public async Task RefreshOnce_ValidSecret_LaysItsValuesOverTheOtherSettings()
    {
        _fake.SetSecret(SecretId, $$"""{"fpjs_pre_shared_secret":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"from-secret"}""");
        var (source, store) = Create();

        var next = await source.RefreshOnceAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(300), next);
        Assert.Equal(FirstSecret, store.Current.PreSharedSecret);
        Assert.Equal("from-secret", store.Current.BehaviorPath);
        Assert.Equal("from-config", store.Current.AgentDownloadPath);
        Assert.Equal(SettingSource.SecretsManager, store.Current.SourceOf(SettingKeys.PreSharedSecret));
        Assert.Equal(SettingSource.SecretsManager, store.Current.SourceOf(SettingKeys.BehaviorPath));
        Assert.NotEqual(SettingSource.SecretsManager, store.Current.SourceOf(SettingKeys.AgentDownloadPath));
        var state = source.State;
        Assert.True(state.Loaded);
        Assert.NotNull(state.LastSuccess);
        Assert.Equal(state.LastSuccess, state.LastAttempt);
        Assert.Null(state.LastError);
        Assert.Equal("fpjs/settings (eu-west-1)", state.Target);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4001 && e.Text.Contains("FPJS_PRE_SHARED_SECRET, FPJS_BEHAVIOR_PATH"));
    }

    [Fact]
    public async Task RefreshOnce_ReadFails_KeepsLastGoodValuesAndReportsTheError()
    {
        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""");
        var (source, store) = Create();
        await source.RefreshOnceAsync(CancellationToken.None);
        var good = store.Current;

        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "AccessDeniedException", "User is not authorized to perform secretsmanager:GetSecretValue");
        await source.RefreshOnceAsync(CancellationToken.None);

        Assert.Same(good, store.Current);
        var state = source.State;
        Assert.True(state.Loaded);
        Assert.Equal("AccessDeniedException (HTTP 400): User is not authorized to perform secretsmanager:GetSecretValue", state.LastError);
        Assert.NotNull(state.LastErrorAt);
        Assert.True(state.LastSuccess < state.LastErrorAt);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4004 && e.Level == LogLevel.Warning && e.Text.Contains("AccessDenied"));

        _fake.Override = null;
        await source.RefreshOnceAsync(CancellationToken.None);

        state = source.State;
        Assert.Null(state.LastError);
        Assert.NotNull(state.LastErrorAt);
        Assert.True(state.LastSuccess > state.LastErrorAt);
    }

    [Theory]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"second-proxy-secret-2b9c","FPJS_BEHAVIOR_PATH":"bad/path"}""", "FPJS_BEHAVIOR_PATH must be empty or made of letters")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"second-proxy-secret-2b9c","FPJS_GET_RESULT_PATH":"status"}""", "cannot be 'status'")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"second-proxy-secret-2b9c","FPJS_INGRESS_BASE_URL":"ftp://x"}""", "FPJS_INGRESS_BASE_URL must use https")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"second-proxy-secret-2b9c","FPJS_BEHAVIOR_PATH":7}""", "Key 'FPJS_BEHAVIOR_PATH' must be a string")]
    [InlineData("""FPJS_PRE_SHARED_SECRET=second-proxy-secret-2b9c""", "not valid JSON")]
    [InlineData("""second-proxy-secret-2b9c""", "not valid JSON")]
    public async Task RefreshOnce_InvalidSecret_IsRejectedWholeAndLastGoodValuesStay(string rotated, string reason)
    {
        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"good"}""");
        var (source, store) = Create();
        await source.RefreshOnceAsync(CancellationToken.None);

        _fake.SetSecret(SecretId, rotated, "v2");
        await source.RefreshOnceAsync(CancellationToken.None);

        Assert.Equal(FirstSecret, store.Current.PreSharedSecret);
        Assert.Equal("good", store.Current.BehaviorPath);
        Assert.StartsWith("The secret was rejected, previous settings stay in force: ", source.State.LastError);
        Assert.Contains(reason, source.State.LastError);
        Assert.DoesNotContain(SecondSecret, source.State.LastError);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4003 && e.Level == LogLevel.Error && e.Text.Contains(reason) && e.Text.Contains("version v2"));
    }

    [Fact]
    public async Task RefreshOnce_InvalidFirstSecret_LeavesTheOtherSettingsInForce()
    {
        _fake.SetSecret(SecretId, """{"FPJS_BEHAVIOR_PATH":"../x"}""");
        var (source, store) = Create();

        await source.RefreshOnceAsync(CancellationToken.None);

        Assert.Equal("from-config-behavior", store.Current.BehaviorPath);
        Assert.False(source.State.Loaded);
        Assert.NotNull(source.State.LastError);
    }

    [Fact]
    public async Task RefreshOnce_UnchangedSecret_KeepsTheSameSnapshotAndRecordsTheSuccess()
    {
        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""");
        var (source, store) = Create();
        await source.RefreshOnceAsync(CancellationToken.None);
        var snapshot = store.Current;
        var firstSuccess = source.State.LastSuccess;
        await Task.Delay(20);

        await source.RefreshOnceAsync(CancellationToken.None);

        Assert.Same(snapshot, store.Current);
        Assert.True(source.State.LastSuccess > firstSuccess);
        Assert.Single(_logs.Entries, e => e.EventId.Id == 4001);
        Assert.Single(_logs.Entries, e => e.EventId.Id == 4002);
    }

    [Fact]
    public async Task RefreshOnce_KeyRemovedFromSecret_FallsBackToTheOtherSettings()
    {
        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_BEHAVIOR_PATH":"from-secret"}""");
        var (source, store) = Create();
        await source.RefreshOnceAsync(CancellationToken.None);

        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{SecondSecret}}"}""", "v2");
        await source.RefreshOnceAsync(CancellationToken.None);

        Assert.Equal(SecondSecret, store.Current.PreSharedSecret);
        Assert.Equal("from-config-behavior", store.Current.BehaviorPath);
        Assert.NotEqual(SettingSource.SecretsManager, store.Current.SourceOf(SettingKeys.BehaviorPath));
    }

    [Fact]
    public async Task RefreshOnce_UnknownKeys_AreIgnoredWithAWarningNamingThem()
    {
        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}","FPJS_PRE_SHARED_SECRE":"{{SecondSecret}}"}""");
        var (source, store) = Create();

        await source.RefreshOnceAsync(CancellationToken.None);

        Assert.Equal(FirstSecret, store.Current.PreSharedSecret);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4007 && e.Text.EndsWith("FPJS_PRE_SHARED_SECRE.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefreshOnce_ConsecutiveFailures_BackOffExponentiallyUpToTheCap()
    {
        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "ResourceNotFoundException", "gone");
        var (source, _) = Create(refreshSeconds: 300);

        var delays = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            delays.Add((await source.RefreshOnceAsync(CancellationToken.None)).TotalSeconds);
        }

        double[] steps = [1, 2, 4, 8, 16, 32, 60, 60, 60];
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.InRange(delays[i], steps[i] / 2, steps[i]);
        }
    }

    [Fact]
    public async Task RefreshOnce_FailureBackoff_NeverExceedsTheRefreshInterval()
    {
        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "ResourceNotFoundException", "gone");
        var (source, _) = Create(refreshSeconds: 3);

        for (var i = 0; i < 5; i++)
        {
            Assert.InRange((await source.RefreshOnceAsync(CancellationToken.None)).TotalSeconds, 0, 3);
        }
    }

    [Fact]
    public async Task RefreshOnce_SuccessAfterFailures_ResetsTheBackoff()
    {
        var (source, _) = Create(refreshSeconds: 300);
        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "ResourceNotFoundException", "gone");
        for (var i = 0; i < 4; i++)
        {
            await source.RefreshOnceAsync(CancellationToken.None);
        }

        _fake.Override = null;
        _fake.SetSecret(SecretId, "{}");
        Assert.Equal(TimeSpan.FromSeconds(300), await source.RefreshOnceAsync(CancellationToken.None));
        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "ResourceNotFoundException", "gone");

        Assert.InRange((await source.RefreshOnceAsync(CancellationToken.None)).TotalSeconds, 0.5, 1);
    }

    [Fact]
    public async Task RefreshIfStale_WithinTheInterval_DoesNotRead_AfterItReadsAndApplies()
    {
        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""");
        var (source, store) = Create(refreshSeconds: 1);
        await source.RefreshIfStaleAsync(CancellationToken.None);
        Assert.Equal(FirstSecret, store.Current.PreSharedSecret);
        var reads = _fake.Requests.Count;

        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{SecondSecret}}"}""", "v2");
        await source.RefreshIfStaleAsync(CancellationToken.None);
        Assert.Equal(reads, _fake.Requests.Count);
        Assert.Equal(FirstSecret, store.Current.PreSharedSecret);

        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await source.RefreshIfStaleAsync(CancellationToken.None);
        Assert.Equal(reads + 1, _fake.Requests.Count);
        Assert.Equal(SecondSecret, store.Current.PreSharedSecret);
    }

    [Fact]
    public async Task Start_SecretAvailable_ValuesAreInForceWhenStartReturns()
    {
        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""");
        var (source, store) = Create();

        await source.StartAsync(CancellationToken.None);

        Assert.Equal(FirstSecret, store.Current.PreSharedSecret);
        Assert.True(source.State.Loaded);
    }

    [Fact]
    public async Task Start_RotatedSecret_IsInForceWithinTheRefreshInterval()
    {
        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""");
        var (source, store) = Create(refreshSeconds: 1);
        await source.StartAsync(CancellationToken.None);
        Assert.Equal(FirstSecret, store.Current.PreSharedSecret);

        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{SecondSecret}}"}""", "v2");

        await Eventually(() => store.Current.PreSharedSecret == SecondSecret);
    }

    [Fact]
    public async Task Start_FirstLoadFails_StartsWithTheOtherSettingsAndKeepsRetryingUntilLoaded()
    {
        _fake.Override = FakeAnswer.Error(HttpStatusCode.InternalServerError, "InternalServiceError", "down");
        var (source, store) = Create(refreshSeconds: 1);

        await source.StartAsync(CancellationToken.None);

        Assert.False(source.State.Loaded);
        Assert.StartsWith("InternalServiceError (HTTP 500)", source.State.LastError);
        Assert.Null(store.Current.PreSharedSecret);
        Assert.Equal("from-config-behavior", store.Current.BehaviorPath);

        _fake.Override = null;
        _fake.SetSecret(SecretId, $$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""");

        await Eventually(() => source.State.Loaded);
        Assert.Equal(FirstSecret, store.Current.PreSharedSecret);
        Assert.Null(source.State.LastError);
    }

    [Fact]
    public async Task Start_FirstLoadSlowerThanTheStartupWait_ReturnsAndLoadsLater()
    {
        _fake.Enqueue(FakeAnswer.Delayed(TimeSpan.FromSeconds(4), FakeAnswer.Secret($$"""{"FPJS_PRE_SHARED_SECRET":"{{FirstSecret}}"}""")));
        var (source, store) = Create(configure: o => o.StartupWait = TimeSpan.FromMilliseconds(100), timeoutSeconds: 15);

        await source.StartAsync(CancellationToken.None);

        Assert.False(source.State.Loaded);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4005);
        await Eventually(() => store.Current.PreSharedSecret == FirstSecret);
    }

    [Fact]
    public async Task Start_Cancelled_Throws()
    {
        _fake.Override = FakeAnswer.Delayed(TimeSpan.FromSeconds(30), FakeAnswer.Secret("{}"));
        var (source, _) = Create(configure: o => o.StartupWait = TimeSpan.FromSeconds(30), timeoutSeconds: 60);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.StartAsync(cancellation.Token));
    }

    [Fact]
    public async Task Stop_EndsTheRefreshLoop()
    {
        _fake.SetSecret(SecretId, "{}");
        var (source, _) = Create(refreshSeconds: 1);
        await source.StartAsync(CancellationToken.None);
        await Eventually(() => _fake.Requests.Count >= 2);

        await source.StopAsync(CancellationToken.None);
        var count = _fake.Requests.Count;
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal(count, _fake.Requests.Count);
    }

    private (SecretsManagerSettingsSource Source, ProxySettingsStore Store) Create(
        double refreshSeconds = 300, double timeoutSeconds = 5, Action<SecretsManagerOptions>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingKeys.BehaviorPath] = "from-config-behavior",
            [SettingKeys.AgentDownloadPath] = "from-config",
            [SettingKeys.SecretName] = SecretId,
            [SettingKeys.SecretRegion] = _fake.Region,
            ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = _fake.Endpoint.ToString(),
            ["FPJS_SECRET_REFRESH_SECONDS"] = refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FPJS_SECRET_TIMEOUT_SECONDS"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        services.AddProxySettings(configuration);
        services.AddSecretsManagerSettings(configuration);
        services.AddSingleton<IAwsCredentialsProvider>(new StaticCredentialsProvider(
            new BasicAWSCredentials(FakeSecretsManager.AccessKey, FakeSecretsManager.SecretKey)));
        services.Configure<SecretsManagerOptions>(options =>
        {
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            configure?.Invoke(options);
        });
        _services = services.BuildServiceProvider();
        Assert.Same(_services.GetRequiredService<SecretsManagerSettingsSource>(), _services.GetRequiredService<IRuntimeSettingsSource>());
        return (_services.GetRequiredService<SecretsManagerSettingsSource>(), _services.GetRequiredService<ProxySettingsStore>());
    }

    private void AssertLogsNeverContainSecrets()
    {
        var text = _logs.AllText;
        Assert.DoesNotContain(FirstSecret, text);
        Assert.DoesNotContain(SecondSecret, text);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(50);
        }
    }
}
