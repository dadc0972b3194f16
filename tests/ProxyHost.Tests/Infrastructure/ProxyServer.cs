using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using FingerprintProxy.Proxy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.Tests.Infrastructure;

/// <summary>
/// The real proxy (Program.CreateApp: the whole host, real Kestrel on 127.0.0.1) with every upstream
/// host (<c>fpjs.test</c>, <c>eu.fpjs.test</c>, <c>ap.fpjs.test</c>) connected to one local port, so region
/// routing is exercised with real host names while nothing leaves the machine.
/// </summary>
public sealed class ProxyServer : IAsyncDisposable
{
    public const string IngressHost = "fpjs.test";

    private readonly WebApplication _app;

    private ProxyServer(WebApplication app, int port, LogCapture logs, ConcurrentQueue<string> upstreamHosts)
    {
        _app = app;
        UpstreamHosts = upstreamHosts;
        Port = port;
        Logs = logs;
        Client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Every upstream host name the proxy opened a connection to, in order.</summary>
    public IReadOnlyCollection<string> UpstreamHosts { get; }

    /// <summary>Starts the proxy. <paramref name="upstreamPort"/> receives every upstream connection.</summary>
    public static async Task<ProxyServer> StartAsync(int upstreamPort, IEnumerable<string>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--FPJS_INGRESS_BASE_URL=http://{IngressHost}",
        };
        args.AddRange(settings ?? []);
        var logs = new LogCapture();
        var connected = new ConcurrentQueue<string>();
        var app = Program.CreateApp([.. args], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
            builder.Services.Configure<UpstreamClientOptions>(o => o.ConfigureHandler = handler =>
                handler.ConnectCallback = async (context, token) =>
                {
                    connected.Enqueue(context.DnsEndPoint.Host);
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, upstreamPort), token);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                });
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ProxyServer(app, new Uri(address).Port, logs, connected);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
