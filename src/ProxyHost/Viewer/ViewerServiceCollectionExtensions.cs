using FingerprintProxy.Configuration;
using FingerprintProxy.Proxy;

namespace FingerprintProxy.Viewer;

public static class ViewerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the viewer-context resolver for <c>FPJS_VIEWER_CONTEXT</c> and the origin verifier, and
    /// makes sure the edge's viewer headers and the origin-verification header never reach Fingerprint.
    /// </summary>
    public static IServiceCollection AddViewerContext(this IServiceCollection services, IConfiguration configuration)
    {
        var mode = configuration[SettingKeys.ViewerContext] ?? ViewerContextModes.Direct;
        switch (mode)
        {
            case ViewerContextModes.LambdaEdge:
                services.AddSingleton<IViewerContextResolver, LambdaEdgeViewerContextResolver>();
                break;
            case ViewerContextModes.CloudFrontOrigin:
                services.AddSingleton<IViewerContextResolver, CloudFrontOriginViewerContextResolver>();
                break;
            default:
                // Unknown values are reported by the options validator at start-up.
                services.AddSingleton<IViewerContextResolver, DirectViewerContextResolver>();
                break;
        }

        services.AddSingleton<OriginVerifier>();
        services.AddSingleton<IForwardedHeaderNames>(provider =>
            new HopHeaderNames([EdgeHeaders.ViewerIp, EdgeHeaders.ViewerHost, provider.GetRequiredService<OriginVerifier>().HeaderName]));
        return services;
    }

    private sealed record HopHeaderNames(IReadOnlyCollection<string> HeaderNames) : IForwardedHeaderNames;
}
