using FingerprintProxy.Configuration;
using FingerprintProxy.Tests.Infrastructure;

namespace FingerprintProxy.Tests.Lambda;

/// <summary>
/// Lambda freezes the execution environment between invocations, so background timers do not run:
/// the server asks every runtime settings source to refresh stale values before serving an invocation.
/// </summary>
public sealed class LambdaSettingsRefreshTests
{
    [Fact]
    public async Task Invocation_AsksRuntimeSourcesToRefreshFirst_AndIsServedWithTheRefreshedValues()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync();
        await using var upstream = await FakeFingerprint.StartAsync();
        var source = new RotatingSource("rotated-proxy-secret-c41d");
        await using var host = await LambdaProxyHost.StartAsync(runtime, upstream.Port,
            configure: builder => builder.Services.AddSingleton<IRuntimeSettingsSource>(source));
        source.Store = host.Services.GetRequiredService<ProxySettingsStore>();

        var posted = await runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.PostIdentification).ToJsonString());

        Assert.Equal(200, posted.StatusCode);
        Assert.Equal(1, source.Calls);
        Assert.Equal(["rotated-proxy-secret-c41d"], upstream.Single().Header("FPJS-Proxy-Secret"));
    }

    [Fact]
    public async Task Invocation_WhenTheRefreshHangs_IsServedWithTheValuesInForce()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync();
        await using var upstream = await FakeFingerprint.StartAsync();
        var source = new RotatingSource(null) { Hang = true };
        await using var host = await LambdaProxyHost.StartAsync(runtime, upstream.Port,
            configure: builder => builder.Services.AddSingleton<IRuntimeSettingsSource>(source));

        var posted = await runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.PostIdentification).ToJsonString());

        Assert.Equal(200, posted.StatusCode);
        Assert.Equal([ProxyFixture.Secret], upstream.Single().Header("FPJS-Proxy-Secret"));
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 11);
    }

    private sealed class RotatingSource(string? secret) : IRuntimeSettingsSource
    {
        public ProxySettingsStore? Store { get; set; }

        public bool Hang { get; init; }

        public int Calls { get; private set; }

        public string Name => "test source";

        public RuntimeSettingsSourceState State => new() { Target = "test", Loaded = true };

        public async Task RefreshIfStaleAsync(CancellationToken cancellationToken)
        {
            Calls++;
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (secret is not null && Store is not null)
            {
                Assert.Empty(Store.TryApplyOverrides(new Dictionary<string, string> { [SettingKeys.PreSharedSecret] = secret }, SettingSource.SecretsManager));
            }
        }
    }
}
