using FingerprintProxy.Configuration;
using System.Net;
using FingerprintProxy.Transforms;

namespace FingerprintProxy.Viewer;

/// <summary>
/// The viewer is whoever is connected: the connection's remote IP and the request's Host. Right when
/// the proxy is reached directly (locally, or a container without CloudFront in front). No forwarding
/// header is ever trusted in this mode.
/// </summary>
internal sealed class DirectViewerContextResolver : IViewerContextResolver
{
    public string Mode => ViewerContextModes.Direct;

    public ViewerContext Resolve(HttpContext context) =>
        new(FormatAddress(context.Connection.RemoteIpAddress), HostName(context.Request.Host));

    /// <summary>The address as Fingerprint expects it: no port, no IPv6 scope, IPv4-mapped IPv6 as IPv4.</summary>
    internal static string? FormatAddress(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }

        return address.ToString();
    }

    /// <summary>The host name without port; null when the request has no Host.</summary>
    internal static string? HostName(HostString host) => host.HasValue && host.Host.Length > 0 ? host.Host : null;
}
