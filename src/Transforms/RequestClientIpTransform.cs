using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>Adds <c>FPJS-Proxy-Client-IP</c> (the viewer's IP from <see cref="ViewerContext"/>) to POST requests.</summary>
internal sealed class RequestClientIpTransform : RequestTransform
{
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpMethods.IsPost(context.HttpContext.Request.Method)
            && context.HttpContext.Features.Get<ViewerContext>()?.IpAddress is { Length: > 0 } ip)
        {
            RemoveHeader(context, FingerprintHeaders.ProxyClientIp);
            AddHeader(context, FingerprintHeaders.ProxyClientIp, ip);
        }

        return default;
    }
}
