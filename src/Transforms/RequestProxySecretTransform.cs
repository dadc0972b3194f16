using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Adds <c>FPJS-Proxy-Secret</c> to identification (POST) requests so Fingerprint trusts the proxy's
/// <c>FPJS-Proxy-Client-IP</c>. The secret is read per request (it may rotate); no header is sent when
/// none is configured.
/// </summary>
internal sealed class RequestProxySecretTransform : RequestTransform
{
    /// <param name="secret">Returns the secret in force for this request, or null when none is configured.</param>
    public RequestProxySecretTransform(Func<HttpContext, string?> secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Secret = secret;
    }

    public Func<HttpContext, string?> Secret { get; }

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpMethods.IsPost(context.HttpContext.Request.Method) && Secret(context.HttpContext) is { Length: > 0 } secret)
        {
            SetHeader(context, FingerprintHeaders.ProxySecret, secret);
        }

        return default;
    }

    private static void SetHeader(RequestTransformContext context, string name, string value)
    {
        RemoveHeader(context, name);
        AddHeader(context, name, value);
    }
}
