using FingerprintProxy.Viewer;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Configuration;

/// <summary>
/// One immutable, validated snapshot of everything a request needs: routing, the secrets in force, the
/// viewer-context resolver, the transform pipeline and the upstream client. A request reads
/// <see cref="ProxySettingsAccessor.Current"/> once and uses that snapshot throughout, so a rotation never
/// mixes a new secret with old routing.
/// </summary>
internal sealed class ProxySettings
{
    /// <summary>The options this snapshot was built from (validated).</summary>
    public required ProxyOptions Options { get; init; }

    /// <summary>The proxy secret from the Fingerprint dashboard; null when none is configured.</summary>
    public required string? PreSharedSecret { get; init; }

    /// <summary>The paths the proxy answers and the hosts it forwards to.</summary>
    public required RouteTable Routes { get; init; }

    /// <summary>The origin-verification header and values in force (current, then previous).</summary>
    public required OriginVerification OriginVerification { get; init; }

    /// <summary>Where the viewer's IP and host come from, for <c>FPJS_VIEWER_CONTEXT</c>.</summary>
    public required IViewerContextResolver Viewer { get; init; }

    public required long MaxRequestBodyBytes { get; init; }

    /// <summary>The Fingerprint transforms, with this snapshot's secret and removed headers.</summary>
    public required HttpTransformer Transformer { get; init; }

    /// <summary>The connection pool to Fingerprint; shared with the previous snapshot unless its settings changed.</summary>
    public required HttpMessageInvoker Client { get; init; }

    /// <summary>Timeouts and buffering of a forwarded request.</summary>
    public required ForwarderRequestConfig RequestConfig { get; init; }
}

/// <summary>
/// The lock that keeps a container origin private to CloudFront: the header a request must carry, the
/// values accepted, and whether a request is refused while no value is in force (fail closed).
/// </summary>
internal sealed record OriginVerification(string HeaderName, IReadOnlyList<string> Values, bool Required)
{
    public bool Enabled => Values.Count > 0;
}

/// <summary>What the router needs: the integration, agent and result paths, and the three ingress hosts.</summary>
internal sealed record RouteTable
{
    /// <summary>The integration path: the first path segment, or empty when the proxy owns its host.</summary>
    public string BehaviorPath { get; init; } = ProxyOptions.DefaultBehaviorPath;

    public string AgentDownloadPath { get; init; } = ProxyOptions.DefaultAgentDownloadPath;

    public string GetResultPath { get; init; } = ProxyOptions.DefaultGetResultPath;

    /// <summary>The three hosts the proxy may contact, derived from <c>FPJS_INGRESS_BASE_URL</c>.</summary>
    public IngressEndpoints Ingress { get; init; } = IngressEndpoints.Parse(ProxyOptions.DefaultIngressBaseUrl);
}
