namespace FingerprintProxy.Viewer;

/// <summary>
/// The headers the edge function (edge/) sets on every request with what CloudFront saw. It always
/// overwrites them, so behind CloudFront they cannot come from the client.
/// </summary>
internal static class EdgeHeaders
{
    /// <summary>The viewer's IP address, no port.</summary>
    public const string ViewerIp = "x-fpjs-viewer-ip";

    /// <summary>The Host the viewer asked for.</summary>
    public const string ViewerHost = "x-fpjs-viewer-host";

    /// <summary>CloudFront's own <c>ip:port</c> of the viewer, added by an origin request policy.</summary>
    public const string CloudFrontViewerAddress = "CloudFront-Viewer-Address";
}
