using FingerprintProxy.Configuration;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Tests.Configuration;

public sealed class ProxySettingsStoreTests
{
    private static ProxySettingsStore Create(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new ProxyOptions();
        configuration.Bind(options);
        return new ProxySettingsStore(Options.Create(options), configuration);
    }

    [Fact]
    public void NothingConfigured_UsesContractDefaults()
    {
        var settings = Create([]).Current;

        Assert.Null(settings.PreSharedSecret);
        Assert.Equal("fpjs", settings.BehaviorPath);
        Assert.Equal("agent", settings.AgentDownloadPath);
        Assert.Equal("result", settings.GetResultPath);
        Assert.Equal("https://api.fpjs.io", settings.Ingress.Us);
        Assert.Equal("https://eu.api.fpjs.io", settings.Ingress.Eu);
        Assert.Equal("https://ap.api.fpjs.io", settings.Ingress.Ap);
        Assert.Equal(SettingSource.Default, settings.SourceOf(SettingKeys.BehaviorPath));
    }

    [Fact]
    public void Overrides_AreAppliedCaseInsensitively_AndMarkedWithTheirSource()
    {
        var store = Create(new() { [SettingKeys.BehaviorPath] = "base", [SettingKeys.PreSharedSecret] = "old" });

        var errors = store.TryApplyOverrides(new Dictionary<string, string>
        {
            ["fpjs_pre_shared_secret"] = "new", ["Fpjs_Behavior_Path"] = "rotated", ["UNRELATED"] = "x",
        }, SettingSource.SecretsManager);

        Assert.Empty(errors);
        Assert.Equal("new", store.Current.PreSharedSecret);
        Assert.Equal("rotated", store.Current.BehaviorPath);
        Assert.Equal(SettingSource.SecretsManager, store.Current.SourceOf(SettingKeys.BehaviorPath));
        Assert.Equal(SettingSource.Default, store.Current.SourceOf(SettingKeys.AgentDownloadPath));
    }

    [Fact]
    public void InvalidOverride_IsRejectedWhole_AndTheLastGoodValuesStay()
    {
        var store = Create(new() { [SettingKeys.PreSharedSecret] = "good" });
        var before = store.Current;

        var errors = store.TryApplyOverrides(new Dictionary<string, string>
        {
            [SettingKeys.PreSharedSecret] = "new-secret", [SettingKeys.AgentDownloadPath] = "../x",
        }, SettingSource.SecretsManager);

        Assert.Contains(errors, e => e.Contains(SettingKeys.AgentDownloadPath));
        Assert.Same(before, store.Current);
        Assert.Equal("good", store.Current.PreSharedSecret);
    }

    [Fact]
    public async Task ChangedBehaviorPath_TakesEffectForRoutingAtTheNextRequest()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);
        var store = proxy.Services.GetRequiredService<ProxySettingsStore>();

        Assert.Empty(store.TryApplyOverrides(new Dictionary<string, string> { [SettingKeys.BehaviorPath] = "moved", [SettingKeys.GetResultPath] = "res" }, SettingSource.SecretsManager));
        using var old = await proxy.Client.PostAsync("/fpjs/result", new StringContent("{}"));
        using var moved = await proxy.Client.PostAsync("/moved/res", new StringContent("{}"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, old.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("/", upstream.Single().Path);
    }
}
