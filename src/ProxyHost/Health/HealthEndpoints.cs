using FingerprintProxy.Configuration;

namespace FingerprintProxy.Health;

/// <summary>
/// Load-balancer health checks, outside the integration path and answered without the
/// origin-verification header: <c>/healthz</c> (liveness: the process serves requests) and
/// <c>/readyz</c> (readiness: settings are loaded; 503 while a configured Secrets Manager secret has
/// never loaded).
/// </summary>
public static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(LivenessPath, ["GET", "HEAD"], new RequestDelegate(context => Write(context, StatusCodes.Status200OK, "ok")))
            .WithDisplayName("Liveness");
        var sources = endpoints.ServiceProvider.GetServices<IRuntimeSettingsSource>().ToArray();
        endpoints.MapMethods(ReadinessPath, ["GET", "HEAD"], new RequestDelegate(context =>
        {
            foreach (var source in sources)
            {
                if (!source.State.Loaded)
                {
                    return Write(context, StatusCodes.Status503ServiceUnavailable, "not ready: " + source.Name + " has not loaded yet");
                }
            }

            return Write(context, StatusCodes.Status200OK, "ready");
        })).WithDisplayName("Readiness");
        return endpoints;
    }

    private static Task Write(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(text);
    }
}
