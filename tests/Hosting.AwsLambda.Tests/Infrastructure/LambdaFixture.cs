using Microsoft.Extensions.Time.Testing;

namespace FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;

/// <summary>
/// A fake Runtime API and the <see cref="TestApp"/> twice: in Lambda mode (fed by the fake Runtime API, on a
/// fake clock) and in Kestrel mode (on 127.0.0.1), so a test can send the same request both ways and compare.
/// Shared by the tests of one class, which xunit runs one after the other.
/// </summary>
public sealed class LambdaFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new();

    public FakeLambdaRuntime Runtime { get; private set; } = null!;

    public TestApp Lambda { get; private set; } = null!;

    public TestApp Kestrel { get; private set; } = null!;

    /// <summary>What <c>/custom</c> does in both applications; set by each test that uses it.</summary>
    public Func<HttpContext, Task> Custom { get; set; } = _ => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Runtime = await FakeLambdaRuntime.StartAsync(Clock);
        Lambda = await TestApp.StartLambdaAsync(Runtime, Clock, context => Custom(context));
        Kestrel = await TestApp.StartKestrelAsync(context => Custom(context));
    }

    public async Task DisposeAsync()
    {
        await Lambda.DisposeAsync();
        await Kestrel.DisposeAsync();
        await Runtime.DisposeAsync();
    }
}
