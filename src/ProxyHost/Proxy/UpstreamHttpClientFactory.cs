using FingerprintProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Proxy;

/// <summary>
/// The connection pool to Fingerprint, YARP's client factory configured for an invisible proxy: on top of
/// YARP's defaults (no redirects followed, no decompression, no cookies, no system proxy) it adds no
/// tracing headers of its own, re-resolves DNS now and then (Fingerprint's hosts sit behind a CDN) and
/// takes the connect timeout in force. A new client is made only when that timeout changes.
/// </summary>
internal class UpstreamHttpClientFactory : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        // The proxy must be invisible: no traceparent/Request-Id of its own (a client's are passed through).
        handler.ActivityHeadersPropagator = null;
        handler.ConnectTimeout = ProxySettingsAccessor.ConnectTimeoutOf(context.NewMetadata);
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50);
    }

    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context)
        && ProxySettingsAccessor.ConnectTimeoutOf(context.NewMetadata) == ProxySettingsAccessor.ConnectTimeoutOf(context.OldMetadata);
}
