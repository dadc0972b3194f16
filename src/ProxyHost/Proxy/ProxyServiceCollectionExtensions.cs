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
        // Read into a buffer at once instead of first waiting for data with a zero-byte read: one system
        // call less per read, 5-13 % less CPU per request (docs/performance.md, "Tuning"), for a 4 KB
        // buffer held by each idle kept-alive connection (2,000 idle connections: 49 -> 57 MB).
        services.Configure<SocketTransportOptions>(sockets => sockets.WaitForDataBeforeAllocatingBuffer = false);
        return services;
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
