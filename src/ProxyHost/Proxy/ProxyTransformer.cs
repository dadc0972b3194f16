using FingerprintProxy.Configuration;
using FingerprintProxy.Transforms;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms.Builder;

namespace FingerprintProxy.Proxy;

/// <summary>The Fingerprint transform pipeline, built once with YARP's transform builder and shared by every request.</summary>
internal sealed class ProxyTransformer
{
    public ProxyTransformer(ITransformBuilder builder, ProxySettingsStore settings, IEnumerable<IForwardedHeaderNames> removedHeaders)
    {
        var removed = removedHeaders.SelectMany(h => h.HeaderNames).ToArray();
        Transformer = builder.Create(context => context.AddFingerprintProxyTransforms(new FingerprintTransformOptions
        {
            Integration = ProxyIntegration.Info,
            // The snapshot the request was routed with (the secret can rotate while the proxy runs, and a
            // request must not mix a new secret with old routing).
            ProxySecret = context => (context.Features.Get<ProxySettings>() ?? settings.Current).PreSharedSecret,
            RemovedRequestHeaders = removed,
        }));
    }

    public HttpTransformer Transformer { get; }
}

/// <summary>
/// Request headers that a hosting feature consumes and that must not reach Fingerprint (edge viewer
/// headers, the origin-verification header). Every registered instance adds its names.
/// </summary>
public interface IForwardedHeaderNames
{
    IReadOnlyCollection<string> HeaderNames { get; }
}
