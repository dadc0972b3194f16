namespace FingerprintProxy.Transforms;

/// <summary>The headers Fingerprint reads from a proxy integration.</summary>
public static class FingerprintHeaders
{
    public const string ProxySecret = "FPJS-Proxy-Secret";
    public const string ProxyClientIp = "FPJS-Proxy-Client-IP";
    public const string ProxyForwardedHost = "FPJS-Proxy-Forwarded-Host";

    /// <summary>The cookie Fingerprint sets on the site's domain; the only one forwarded.</summary>
    public const string IidtCookie = "_iidt";
}
