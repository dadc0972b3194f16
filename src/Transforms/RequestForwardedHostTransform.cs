using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Adds <c>FPJS-Proxy-Forwarded-Host</c> (the viewer's host name from <see cref="ViewerContext"/>) to POST
/// requests; Fingerprint uses it to scope its first-party cookie to the site's domain.
/// </summary>
internal sealed class RequestForwardedHostTransform : RequestTransform
{
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpMethods.IsPost(context.HttpContext.Request.Method)
            && context.HttpContext.Features.Get<ViewerContext>()?.Host is { Length: > 0 } host)
        {
            RemoveHeader(context, FingerprintHeaders.ProxyForwardedHost);
            AddHeader(context, FingerprintHeaders.ProxyForwardedHost, host);
        }

        return default;
    }
}
