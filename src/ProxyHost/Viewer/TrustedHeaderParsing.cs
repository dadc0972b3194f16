using System.Net;

namespace FingerprintProxy.Viewer;

/// <summary>Strict parsing of viewer-context header values: anything malformed is treated as absent.</summary>
internal static class TrustedHeaderParsing
{
    /// <summary>An IP address without port (IPv6 may be bracketed), normalised as Fingerprint expects it.</summary>
    public static string? ParseIp(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            text = text[1..^1];
        }

        return IPAddress.TryParse(text, out var address) ? DirectViewerContextResolver.FormatAddress(address) : null;
    }

    /// <summary><c>CloudFront-Viewer-Address</c> is <c>ip:port</c> (IPv6 unbracketed); the port is after the last colon.</summary>
    public static string? ParseIpAndPort(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var colon = value.LastIndexOf(':');
        return colon <= 0 ? ParseIp(value) : ParseIp(value[..colon]);
    }

    /// <summary>A host name (or IP literal) with an optional port, returned without the port; null when malformed.</summary>
    public static string? ParseHost(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var host = new HostString(value.Trim()).Host;
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return Uri.CheckHostName(bare) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6 ? host : null;
    }
}
