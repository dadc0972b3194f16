using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.Transforms;

/// <summary>Sets <c>FPJS-Proxy-Client-IP</c> on POST requests to the viewer's IP from <see cref="ViewerContext"/>.</summary>
internal sealed class RequestClientIpTransform : RequestPostHeaderTransform
{
    public RequestClientIpTransform()
        : base(FingerprintHeaders.ProxyClientIp)
    {
    }

    protected override string? GetValue(HttpContext context) => context.Features.Get<ViewerContext>()?.IpAddress;
}
