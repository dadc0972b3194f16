using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Sets <c>FPJS-Proxy-Secret</c> on identification (POST) requests so that Fingerprint trusts the
/// proxy's <c>FPJS-Proxy-Client-IP</c>. The secret is read per request (it may rotate); no header is
/// sent when none is configured.
/// </summary>
internal sealed class RequestProxySecretTransform : RequestPostHeaderTransform
{
    /// <param name="secret">Returns the secret in force for this request, or null when none is configured.</param>
    public RequestProxySecretTransform(Func<HttpContext, string?> secret)
        : base(FingerprintHeaders.ProxySecret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Secret = secret;
    }

    public Func<HttpContext, string?> Secret { get; }

    protected override string? GetValue(HttpContext context) => Secret(context);
}
