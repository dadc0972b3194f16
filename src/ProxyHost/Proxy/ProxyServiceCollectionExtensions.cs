using FingerprintProxy.Configuration;
using FingerprintProxy.Status;
using FingerprintProxy.Viewer;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Proxy;

public static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the proxy: YARP's forwarder, the shared upstream connection pool, the Fingerprint
    /// transforms, the viewer-context resolver and the status page. Call after <c>AddProxySettings</c>.
    /// </summary>
    public static IServiceCollection AddFingerprintProxy(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.AddOptions<UpstreamClientOptions>();
        services.AddSingleton<UpstreamClient>();
        services.AddSingleton<ProxyTransformer>();
        services.AddSingleton<StatusPage>();
        services.AddSingleton<ProxyRequestHandler>();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ProxyOptions>>((kestrel, proxy) =>
        {
            // Invisible proxy: no "Server: Kestrel" of our own.
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = proxy.Value.MaxRequestBodyBytes;
        });
        return services;
    }

    /// <summary>
    /// Turns an unexpected exception into a JSON 500 (never a stack trace) and maps the proxy's catch-all
    /// endpoint: every path not claimed by another endpoint.
    /// </summary>
    public static WebApplication MapFingerprintProxy(this WebApplication endpoints)
    {
        endpoints.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => ProxyErrors.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal error."),
        });
        var handler = endpoints.Services.GetRequiredService<ProxyRequestHandler>();
        endpoints.Map("/{**path}", handler.InvokeAsync).WithDisplayName("Fingerprint proxy");
        return endpoints;
    }
}
