using FingerprintProxy.Configuration;
using FingerprintProxy.Transforms;

namespace FingerprintProxy.Viewer;

/// <summary>
/// <c>cloudfront-origin</c>: a container behind CloudFront. Requests reach the resolver only after
/// <see cref="OriginVerifier"/> accepted their origin-verification header, so they came through the
/// distribution: the edge's <c>x-fpjs-viewer-*</c> headers are trusted, else CloudFront's own
/// <c>CloudFront-Viewer-Address</c> (which CloudFront overwrites) and the forwarded Host.
/// </summary>
internal sealed class CloudFrontOriginViewerContextResolver : IViewerContextResolver
{
    public string Mode => ViewerContextModes.CloudFrontOrigin;

    public ViewerContext Resolve(HttpContext context)
    {
        var headers = context.Request.Headers;
        var ip = TrustedHeaderParsing.ParseIp(headers[EdgeHeaders.ViewerIp])
            ?? TrustedHeaderParsing.ParseIpAndPort(headers[EdgeHeaders.CloudFrontViewerAddress])
            ?? DirectViewerContextResolver.FormatAddress(context.Connection.RemoteIpAddress);
        var host = TrustedHeaderParsing.ParseHost(headers[EdgeHeaders.ViewerHost]) ?? DirectViewerContextResolver.HostName(context.Request.Host);
        return new ViewerContext(ip, host);
    }
}
