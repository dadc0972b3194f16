using FingerprintProxy.Configuration;

namespace FingerprintProxy.Viewer;

/// <summary>The resolver for each <c>FPJS_VIEWER_CONTEXT</c> mode. Resolvers are stateless: one instance each.</summary>
internal static class ViewerContextResolvers
{
    private static readonly IViewerContextResolver Direct = new DirectViewerContextResolver();
    private static readonly IViewerContextResolver LambdaEdge = new LambdaEdgeViewerContextResolver();
    private static readonly IViewerContextResolver CloudFrontOrigin = new CloudFrontOriginViewerContextResolver();

    /// <summary>The resolver for a validated mode.</summary>
    public static IViewerContextResolver For(string mode) => mode switch
    {
        ViewerContextModes.LambdaEdge => LambdaEdge,
        ViewerContextModes.CloudFrontOrigin => CloudFrontOrigin,
        _ => Direct,
    };
}
