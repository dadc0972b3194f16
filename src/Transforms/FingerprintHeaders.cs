namespace FingerprintProxy.Transforms;

/// <summary>The header and cookie names of Fingerprint's proxy integration contract.</summary>
internal static class FingerprintHeaders
{
    /// <summary>The pre-shared secret that makes Fingerprint trust the proxy's headers.</summary>
    public const string ProxySecret = "FPJS-Proxy-Secret";

    /// <summary>The viewer's IP address.</summary>
    public const string ProxyClientIp = "FPJS-Proxy-Client-IP";

    /// <summary>The viewer's host name; Fingerprint scopes its cookie to its registrable domain.</summary>
    public const string ProxyForwardedHost = "FPJS-Proxy-Forwarded-Host";

    /// <summary>The tag header of Fingerprint's CDN on its responses; removed on the way to the viewer.</summary>
    public const string CacheTag = "Cache-Tag";

    /// <summary>The cookie Fingerprint sets on the site's domain; the only one forwarded.</summary>
    public const string IidtCookie = "_iidt";
}
