namespace FingerprintProxy.Tests.Infrastructure;

/// <summary>
/// A fake Fingerprint and the real proxy in front of it, shared by the tests of one class (xunit runs
/// them one after the other; each test clears what the fake recorded).
/// </summary>
public class ProxyFixture : IAsyncLifetime
{
    public const string Secret = "test-proxy-secret-5f2a9c";

    public FakeFingerprint Upstream { get; private set; } = null!;

    public ProxyServer Proxy { get; private set; } = null!;

    protected virtual IEnumerable<string> Settings => [$"--FPJS_PRE_SHARED_SECRET={Secret}"];

    public async Task InitializeAsync()
    {
        Upstream = await FakeFingerprint.StartAsync();
        Proxy = await ProxyServer.StartAsync(Upstream.Port, Settings);
    }

    public async Task DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
