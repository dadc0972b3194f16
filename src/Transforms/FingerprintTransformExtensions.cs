using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace FingerprintProxy.Transforms;

/// <summary>What the Fingerprint transforms need from the host.</summary>
public sealed record FingerprintTransformOptions
{
    /// <summary>Name and version sent in <c>ii</c>.</summary>
    public required IntegrationInfo Integration { get; init; }

    /// <summary>Returns the proxy secret in force for a request (null when none); read per request.</summary>
    public required Func<HttpContext, string?> ProxySecret { get; init; }

    /// <summary>Header names to remove besides the built-in platform headers (edge viewer headers, origin verification).</summary>
    public IReadOnlyCollection<string> RemovedRequestHeaders { get; init; } = [];

    /// <summary>The suffix list used by the cookie-scope safety net.</summary>
    public PublicSuffixList PublicSuffixes { get; init; } = PublicSuffixList.Default;
}

/// <summary>Adds the Fingerprint proxy contract to a YARP transform pipeline.</summary>
public static class FingerprintTransformExtensions
{
    /// <summary>
    /// Adds the whole Fingerprint proxy contract to a transform pipeline: request headers copied as they
    /// are except platform and forwarding headers, exactly one <c>Host</c> (the upstream's), the POST-only
    /// cookie filter, proxy headers and <c>ii</c>, the verbatim destination URI; on the way back
    /// <c>Strict-Transport-Security</c> and <c>Cache-Tag</c> removed, agent caching capped, cookies kept
    /// first-party.
    /// </summary>
    /// <remarks>
    /// Before forwarding, the host stores a <see cref="ForwardTarget"/> (where the request goes) and a
    /// <see cref="ViewerContext"/> (who the viewer is) in <see cref="HttpContext.Features"/>.
    /// </remarks>
    /// <param name="context">The pipeline being built, e.g. in <c>ITransformBuilder.Create</c>.</param>
    /// <param name="options">What the transforms need from the host.</param>
    /// <returns>The same <paramref name="context"/>.</returns>
    public static TransformBuilderContext AddFingerprintProxyTransforms(this TransformBuilderContext context, FingerprintTransformOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);

        // The proxy is invisible: no X-Forwarded-* of its own, the upstream's own Host.
        context.UseDefaultForwarders = false;
        context.CopyRequestHeaders = true;
        context.CopyResponseHeaders = true;

        context.RequestTransforms.Add(new RequestPlatformHeadersRemovalTransform(options.RemovedRequestHeaders));
        context.RequestTransforms.Add(new RequestCookieFilterTransform());
        context.RequestTransforms.Add(new RequestProxySecretTransform(options.ProxySecret));
        context.RequestTransforms.Add(new RequestClientIpTransform());
        context.RequestTransforms.Add(new RequestForwardedHostTransform());
        context.RequestTransforms.Add(new RequestIntegrationInfoTransform(options.Integration));
        context.RequestTransforms.Add(new RequestDestinationTransform());

        context.AddResponseHeaderRemove(HeaderNames.StrictTransportSecurity, ResponseCondition.Always);
        context.AddResponseHeaderRemove(FingerprintHeaders.CacheTag, ResponseCondition.Always);
        context.ResponseTransforms.Add(new ResponseAgentCacheControlTransform());
        context.ResponseTransforms.Add(new ResponseSetCookieScopeTransform(options.PublicSuffixes));
        return context;
    }
}
