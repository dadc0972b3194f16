using FingerprintProxy.Configuration;
using FingerprintProxy.Transforms;

namespace FingerprintProxy.Viewer;

/// <summary>
/// <c>lambda-edge</c>: on a Function URL behind CloudFront with OAC, only the distribution can invoke the
/// function and its edge function always overwrites <c>x-fpjs-viewer-ip</c>/<c>x-fpjs-viewer-host</c>, so
/// those headers are trusted. When one is missing or malformed (the function invoked some other way)
/// the connection's values are used, as in <c>direct</c>.
/// </summary>
internal sealed class LambdaEdgeViewerContextResolver : IViewerContextResolver
{
    public string Mode => ViewerContextModes.LambdaEdge;

    public ViewerContext Resolve(HttpContext context)
    {
        var headers = context.Request.Headers;
        return new ViewerContext(
            TrustedHeaderParsing.ParseIp(headers[EdgeHeaders.ViewerIp]) ?? DirectViewerContextResolver.FormatAddress(context.Connection.RemoteIpAddress),
            TrustedHeaderParsing.ParseHost(headers[EdgeHeaders.ViewerHost]) ?? DirectViewerContextResolver.HostName(context.Request.Host));
    }
}
