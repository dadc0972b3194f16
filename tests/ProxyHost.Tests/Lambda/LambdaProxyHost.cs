using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using FingerprintProxy.Secrets;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;

namespace FingerprintProxy.Tests.Lambda;

/// <summary>
/// The real host (<see cref="WebApplicationFactory{TEntryPoint}"/> of <c>Program</c>, whole pipeline) in Lambda
/// mode: <c>AWS_LAMBDA_RUNTIME_API</c> points at a <see cref="FakeLambdaRuntime"/>, given as a host setting so
/// tests never touch the process environment. Every upstream host (<c>fpjs.localhost</c> and its regions) is
/// connected to the fake Fingerprint's port.
/// </summary>
public sealed class LambdaProxyHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private LambdaProxyHost(WebApplicationFactory<Program> factory)
    {
        _factory = factory;
        Logs = factory.Services.GetFakeLogCollector();
    }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _factory.Services;

    public static Task<LambdaProxyHost> StartAsync(
        FakeLambdaRuntime runtime,
        int upstreamPort,
        IEnumerable<string>? settings = null,
        Action<IWebHostBuilder>? configure = null)
    {
        var factory = Create(runtime, upstreamPort, settings, configure);
        // Not the in-memory test server (the factory would insist on it): a real server, which the Lambda one replaces.
        factory.UseKestrel();
        factory.StartServer();
        return Task.FromResult(new LambdaProxyHost(factory));
    }

    /// <summary>Builds the host without starting it (for start-up failure tests).</summary>
    public static WebApplicationFactory<Program> Create(
        FakeLambdaRuntime runtime,
        int upstreamPort,
        IEnumerable<string>? settings,
        Action<IWebHostBuilder>? configure)
    {
        string[] lambda = [$"--AWS_LAMBDA_RUNTIME_API={runtime.Address}", $"--FPJS_PRE_SHARED_SECRET={ProxyFixture.Secret}"];
        return new LambdaFactory(runtime.Address).WithWebHostBuilder(builder =>
            ProxyServer.Configure(builder, upstreamPort, connected: null, [.. lambda, .. settings ?? []], configure));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>
    /// The test host puts its own server in last; this puts the Lambda Runtime API server back on top, as
    /// <c>Program</c> does on Lambda, so invocations come from the fake Runtime API.
    /// </summary>
    private sealed class LambdaFactory : WebApplicationFactory<Program>
    {
        private readonly string _runtimeApi;

        public LambdaFactory(string runtimeApi) => _runtimeApi = runtimeApi;

        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureServices(services => services.AddAWSLambdaHosting(
                new ConfigurationBuilder().AddInMemoryCollection([new("AWS_LAMBDA_RUNTIME_API", _runtimeApi)]).Build(),
                options => options.BeforeInvocationAsync = SecretsManagerSettingsExtensions.RefreshIfStaleAsync));
            var host = builder.Build();
            host.Start();
            return host;
        }
    }
}
