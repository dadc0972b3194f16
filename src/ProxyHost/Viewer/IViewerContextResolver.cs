using FingerprintProxy.Transforms;

namespace FingerprintProxy.Viewer;

/// <summary>
/// Decides who the viewer is for one request: the IP address and host name that go to Fingerprint in
/// <c>FPJS-Proxy-Client-IP</c> and <c>FPJS-Proxy-Forwarded-Host</c> and that scope cookies.
/// </summary>
internal interface IViewerContextResolver
{
    /// <summary>A short name of the trust mode, shown on the status page.</summary>
    string Mode { get; }

    ViewerContext Resolve(HttpContext context);
}
