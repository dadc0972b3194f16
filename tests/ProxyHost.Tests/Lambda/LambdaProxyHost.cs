using System.Net;
using System.Net.Sockets;
using FingerprintProxy.Proxy;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.Tests.Lambda;

/// <summary>
/// The real host (Program.CreateApp, whole pipeline) in Lambda mode: <c>AWS_LAMBDA_RUNTIME_API</c> points at a
/// <see cref="FakeLambdaRuntime"/>, given on the command line so tests never touch the process environment.
/// Every upstream host (<c>fpjs.test</c> and its regions) is connected to the fake Fingerprint's port.
/// </summary>
public sealed class LambdaProxyHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LambdaProxyHost(WebApplication app, LogCapture logs)
    {
        _app = app;
        Logs = logs;
    }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<LambdaProxyHost> StartAsync(
        FakeLambdaRuntime runtime,
        int upstreamPort,
        IEnumerable<string>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var app = Create(runtime, upstreamPort, settings, configure, out var logs);
        await app.StartAsync();
        return new LambdaProxyHost(app, logs);
    }

    /// <summary>Builds the host without starting it (for start-up failure tests).</summary>
    public static WebApplication Create(
        FakeLambdaRuntime runtime,
        int upstreamPort,
        IEnumerable<string>? settings,
        Action<WebApplicationBuilder>? configure,
        out LogCapture logs)
    {
        var args = new List<string>
        {
            $"--AWS_LAMBDA_RUNTIME_API={runtime.Address}",
            $"--FPJS_INGRESS_BASE_URL=http://{ProxyServer.IngressHost}",
            $"--FPJS_PRE_SHARED_SECRET={ProxyFixture.Secret}",
        };
        args.AddRange(settings ?? []);
        var capture = new LogCapture();
        logs = capture;
        return Program.CreateApp([.. args], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(capture);
            builder.Services.Configure<UpstreamClientOptions>(o => o.ConfigureHandler = handler =>
                handler.ConnectCallback = (context, token) => ConnectLoopbackAsync(upstreamPort, token));
            configure?.Invoke(builder);
        });
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> whatever host the proxy asked for.</summary>
    public static async ValueTask<Stream> ConnectLoopbackAsync(int port, CancellationToken token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
