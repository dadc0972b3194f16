namespace FingerprintProxy.Transforms;

/// <summary>
/// Who the proxy is serving: the viewer's IP address and the host name the viewer asked for. The host
/// decides where they come from (the connection, or trusted edge headers) and stores one instance in
/// <c>HttpContext.Features</c> before forwarding; the transforms only read it.
/// </summary>
/// <param name="IpAddress">The viewer's IP without port, IPv4-mapped IPv6 written as IPv4; null when unknown.</param>
/// <param name="Host">The viewer's host name without scheme or port; null when unknown.</param>
public sealed record ViewerContext(string? IpAddress, string? Host);
