using System.Net;
using FingerprintProxy.Configuration;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Proxy;

/// <summary>Hooks for the connection handler to Fingerprint (tests route region hosts to a local fake with it).</summary>
public sealed class UpstreamClientOptions
{
    /// <summary>Called once on the handler before the client is created.</summary>
    public Action<SocketsHttpHandler>? ConfigureHandler { get; set; }
}

/// <summary>
/// The one connection pool to Fingerprint, shared by every request. Configured for a transparent proxy:
/// no redirects followed, no decompression, no cookies, no system proxy, no tracing headers added.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    public UpstreamClient(IOptions<ProxyOptions> proxyOptions, IOptions<UpstreamClientOptions> clientOptions)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // The proxy must be invisible: no traceparent/Request-Id of its own (a client's are passed through).
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(proxyOptions.Value.ConnectTimeoutSeconds),
            EnableMultipleHttp2Connections = true,
            // Re-resolve DNS now and then: Fingerprint's hosts sit behind a CDN.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
        };
        clientOptions.Value.ConfigureHandler?.Invoke(handler);
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
