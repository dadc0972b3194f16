using FingerprintProxy.Configuration;
using FingerprintProxy.Status;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Proxy;

internal static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the proxy: its settings, YARP's forwarder with the upstream client factory, the status page
    /// and the request handler.
    /// </summary>
    public static IServiceCollection AddFingerprintProxy(this IServiceCollection services)
    {
        services.AddProxySettings();
        services.AddHttpForwarder();
        services.AddSingleton<IForwarderHttpClientFactory, UpstreamHttpClientFactory>();
        services.AddSingleton<StatusPage>();
        services.AddSingleton<ProxyRequestHandler>();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ProxyOptions>>((kestrel, proxy) =>
        {
            // Invisible proxy: no "Server: Kestrel" of our own.
            kestrel.AddServerHeader = false;
            // The limit at start; each request then takes the limit in force (ProxyRequestHandler).
            kestrel.Limits.MaxRequestBodySize = proxy.Value.MaxRequestBodyBytes;
        });
        services.Configure<SocketTransportOptions>(sockets => ConfigureSockets(
            sockets, Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1"));
        return services;
    }

    /// <summary>The runtime's switch that runs socket completions on the I/O thread (set in the container image; the runtime reads exactly "1").</summary>
    internal const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Kestrel's socket transport, tuned for one core (docs/performance.md, "Tuning").</summary>
    internal static void ConfigureSockets(SocketTransportOptions sockets, bool inlineCompletions)
    {
        // Read into a buffer at once instead of first waiting for data with a zero-byte read: one system
        // call less per read, 5-13 % less CPU per request, for a 4 KB buffer held by each idle kept-alive
        // connection (2,000 idle connections: 49 -> 57 MB).
        sockets.WaitForDataBeforeAllocatingBuffer = false;

        // With the runtime's inline socket completions, Kestrel also runs the request on the I/O thread
        // instead of handing it to the thread pool: one thread switch less per request, 18-21 % less CPU
        // per browser-cache request, the agent and identification within noise (-9 to +3 %). Without them
        // it cost more than it saved (-19 % agent requests/s), so it follows that switch. Safe because the
        // request path never blocks.
        sockets.UnsafePreferInlineScheduling = inlineCompletions;
    }

    /// <summary>The proxy's middleware: an unexpected exception becomes a JSON 500, never a stack trace.</summary>
    public static IApplicationBuilder UseFingerprintProxy(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => ProxyErrors.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal error."),
        });
        return app;
    }

    /// <summary>Maps the proxy's catch-all endpoint: every path not claimed by another endpoint.</summary>
    public static IEndpointConventionBuilder MapFingerprintProxy(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<ProxyRequestHandler>();
        return endpoints.Map("/{**path}", handler.InvokeAsync).WithDisplayName("Fingerprint proxy");
    }
}
