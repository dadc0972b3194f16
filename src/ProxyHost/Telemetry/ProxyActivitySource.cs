using System.Diagnostics;

namespace FingerprintProxy.Telemetry;

/// <summary>
/// The proxy's spans: one per request (<see cref="Request"/>) and one per forward to Fingerprint
/// (<see cref="Upstream"/>). Nothing is started unless a listener (an OpenTelemetry tracer) asks for it, and
/// nothing of a span ever goes into the request sent to Fingerprint.
/// </summary>
internal static class ProxyActivitySource
{
    public const string Name = "FingerprintProxy";
    public const string Request = "fingerprint.proxy.request";
    public const string Upstream = "fingerprint.proxy.upstream";

    public static ActivitySource Source { get; } = new(Name, Proxy.ProxyIntegration.Info.Version);
}
