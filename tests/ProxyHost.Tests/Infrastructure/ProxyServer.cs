using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using FingerprintProxy.Proxy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Tests.Infrastructure;

/// <summary>
/// The real proxy (<see cref="WebApplicationFactory{TEntryPoint}"/> of <c>Program</c>: the whole host on real
/// Kestrel sockets on 127.0.0.1) with every upstream host (<c>fpjs.localhost</c>, <c>eu.fpjs.localhost</c>,
/// <c>ap.fpjs.localhost</c>) connected to one local port, so region routing is exercised with real host names
/// while nothing leaves the machine. Logs go to a <see cref="FakeLogCollector"/>.
/// </summary>
public sealed class ProxyServer : IAsyncDisposable
{
    public const string IngressHost = "fpjs.localhost";

    private readonly WebApplicationFactory<Program> _factory;

    private ProxyServer(WebApplicationFactory<Program> factory, int port, ConcurrentQueue<string> upstreamHosts)
    {
        _factory = factory;
        UpstreamHosts = upstreamHosts;
        Port = port;
        Logs = factory.Services.GetFakeLogCollector();
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

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Every upstream host name the proxy opened a connection to, in order.</summary>
    public IReadOnlyCollection<string> UpstreamHosts { get; }

    /// <summary>
    /// Starts the proxy. <paramref name="upstreamPort"/> receives every upstream connection;
    /// <paramref name="settings"/> are <c>--KEY=value</c> configuration entries (as on the command line);
    /// <paramref name="configure"/> adjusts the host further (test services, endpoints).
    /// </summary>
    public static Task<ProxyServer> StartAsync(int upstreamPort, IEnumerable<string>? settings = null, Action<IWebHostBuilder>? configure = null)
    {
        var connected = new ConcurrentQueue<string>();
        var factory = Create(upstreamPort, connected, settings, configure);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return Task.FromResult(new ProxyServer(factory, new Uri(address).Port, connected));
    }

    /// <summary>
    /// The factory behind <see cref="StartAsync"/>, not started: the ingress is <c>http://fpjs.localhost</c>, every
    /// upstream connection goes to <paramref name="upstreamPort"/> (recorded in <paramref name="connected"/>).
    /// </summary>
    public static WebApplicationFactory<Program> Create(int upstreamPort, ConcurrentQueue<string>? connected, IEnumerable<string>? settings, Action<IWebHostBuilder>? configure) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder => Configure(builder, upstreamPort, connected, settings, configure));

    /// <summary>What <see cref="Create"/> does to the host: settings, fake logging, the loopback upstream client.</summary>
    public static void Configure(IWebHostBuilder builder, int upstreamPort, ConcurrentQueue<string>? connected, IEnumerable<string>? settings, Action<IWebHostBuilder>? configure)
    {
            builder.UseSetting("FPJS_INGRESS_BASE_URL", $"http://{IngressHost}");
            // Test hosts stop at once (the graceful-stop test sets its own drain).
            builder.UseSetting("FPJS_SHUTDOWN_DRAIN_SECONDS", "0");
            foreach (var (key, value) in Parse(settings ?? []))
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
            builder.ConfigureTestServices(services =>
                services.AddSingleton<IForwarderHttpClientFactory>(new LoopbackHttpClientFactory(upstreamPort, connected)));
            configure?.Invoke(builder);
    }

    /// <summary>Splits <c>--KEY=value</c> entries; the value may be empty or hold '='.</summary>
    public static IEnumerable<(string Key, string Value)> Parse(IEnumerable<string> settings)
    {
        foreach (var setting in settings)
        {
            var entry = setting.StartsWith("--", StringComparison.Ordinal) ? setting[2..] : setting;
            var equals = entry.IndexOf('=');
            yield return equals < 0 ? (entry, string.Empty) : (entry[..equals], entry[(equals + 1)..]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}

/// <summary>The proxy's own upstream client factory, with every connection made to 127.0.0.1:<c>port</c> whatever host was asked for.</summary>
internal sealed class LoopbackHttpClientFactory(int port, ConcurrentQueue<string>? connected) : UpstreamHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectCallback = async (connection, token) =>
        {
            connected?.Enqueue(connection.DnsEndPoint.Host);
            return await ConnectLoopbackAsync(port, token);
        };
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>.</summary>
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
}

/// <summary>Reads what the proxy logged.</summary>
public static class FakeLogCollectorExtensions
{
    /// <summary>Every record as "category event-id message exception", one per line.</summary>
    public static string AllText(this FakeLogCollector logs) =>
        string.Join('\n', logs.GetSnapshot().Select(r => $"{r.Category} {r.Id.Id} {r.Message} {r.Exception}"));
}
