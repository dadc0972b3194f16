using System.Text.Json;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// A fake Fingerprint and the published proxy in front of it (Kestrel mode), shared by the tests of one
/// class: xunit runs them one after the other, and each clears what the fake recorded.
/// </summary>
public class ProxyFixture : IAsyncLifetime
{
    public const string Secret = "blackbox-proxy-secret-3c9e1f";

    public FakeFingerprint Upstream { get; private set; } = null!;

    public ProxyProcess Proxy { get; private set; } = null!;

    /// <summary>The <c>ii</c> value the proxy appends, as its status page states it (e.g. <c>fingerprint-pro-aws-dotnet/0.2.0/ingress</c>).</summary>
    public string IntegrationInfo { get; private set; } = string.Empty;

    /// <summary>The proxy's settings, given the fake's port.</summary>
    protected virtual Dictionary<string, string> Settings(int upstreamPort) => new()
    {
        ["FPJS_PRE_SHARED_SECRET"] = Secret,
        ["FPJS_INGRESS_BASE_URL"] = LoopbackNames.IngressUrl(upstreamPort),
    };

    public async Task InitializeAsync()
    {
        if (Requirements.SkipReason(Needs.Nothing) is not null)
        {
            return;  // Every test of the class is skipped, with the reason.
        }

        await LoopbackNames.EnsureAsync();
        Upstream = await FakeFingerprint.StartAsync();
        Proxy = await ProxyProcess.StartAsync(Settings(Upstream.Port));
        using var status = JsonDocument.Parse(await Proxy.Client.GetStringAsync("/fpjs/status?format=json"));
        IntegrationInfo = status.RootElement.GetProperty("integration").GetProperty("ii").GetString()!;
    }

    public async Task DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}
