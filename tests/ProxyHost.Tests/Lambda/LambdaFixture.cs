using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.Tests.Lambda;

/// <summary>
/// A fake Runtime API, a fake Fingerprint, and the real host twice in front of it: in Lambda mode (fed by
/// the fake Runtime API) and in Kestrel mode (on 127.0.0.1), both with <see cref="TestEndpoints"/>, so a test
/// can send the same request both ways and compare. Shared by the tests of one class, which xunit runs one
/// after the other.
/// </summary>
public sealed class LambdaFixture : IAsyncLifetime
{
    public FakeLambdaRuntime Runtime { get; private set; } = null!;

    public FakeFingerprint Upstream { get; private set; } = null!;

    public LambdaProxyHost Lambda { get; private set; } = null!;

    public ProxyServer Kestrel { get; private set; } = null!;

    /// <summary>What <c>/__test/custom</c> does in both hosts; set by each test that uses it.</summary>
    public Func<HttpContext, Task> Custom { get; set; } = _ => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        Upstream = await FakeFingerprint.StartAsync();
        var endpoints = TestEndpoints.Add(context => Custom(context));
        Lambda = await LambdaProxyHost.StartAsync(Runtime, Upstream.Port, configure: endpoints);
        Kestrel = await ProxyServer.StartAsync(Upstream.Port, [$"--FPJS_PRE_SHARED_SECRET={ProxyFixture.Secret}"], endpoints);
    }

    public async Task DisposeAsync()
    {
        await Lambda.DisposeAsync();
        await Kestrel.DisposeAsync();
        await Upstream.DisposeAsync();
        await Runtime.DisposeAsync();
    }
}
