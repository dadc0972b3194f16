using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Sets <c>FPJS-Proxy-Forwarded-Host</c> on POST requests to the viewer's host name from
/// <see cref="ViewerContext"/> (never the request's own <c>Host</c>, which behind an edge is the
/// origin's); Fingerprint uses it to scope its first-party cookie to the site's domain.
/// </summary>
internal sealed class RequestForwardedHostTransform : RequestPostHeaderTransform
{
    public RequestForwardedHostTransform()
        : base(FingerprintHeaders.ProxyForwardedHost)
    {
    }

    protected override string? GetValue(HttpContext context) => context.Features.Get<ViewerContext>()?.Host;
}
