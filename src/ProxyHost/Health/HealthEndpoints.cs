using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace FingerprintProxy.Health;

/// <summary>
/// Load-balancer health checks on ASP.NET Core's health checks, outside the integration path and answered
/// without the origin-verification header: <c>/healthz</c> (liveness: the process serves requests; runs no
/// check) and <c>/readyz</c> (readiness: every check tagged <see cref="ReadyTag"/>, e.g. the Secrets
/// Manager secret has loaded at least once).
/// </summary>
internal static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary>The tag of the checks that readiness runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Health checks, and the graceful stop that turns readiness 503 before the server stops.</summary>
    public static IServiceCollection AddProxyHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<GracefulShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<GracefulShutdown>());
        services.AddHealthChecks().AddCheck<GracefulShutdown>("shutdown", tags: [ReadyTag]);
        // Drain, then give requests in flight the rest of ECS's default 30 s stop timeout.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return services;
    }

    /// <summary>While the host stops, every answer says <c>Connection: close</c> so clients reconnect elsewhere.</summary>
    public static IApplicationBuilder UseGracefulShutdown(this IApplicationBuilder app)
    {
        var shutdown = app.ApplicationServices.GetRequiredService<GracefulShutdown>();
        return app.Use((context, next) =>
        {
            if (shutdown.Draining)
            {
                context.Response.Headers.Connection = "close";
            }

            return next(context);
        });
    }

    public static IEndpointRouteBuilder MapProxyHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false }).WithDisplayName("Liveness");
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).WithDisplayName("Readiness");
        return endpoints;
    }
}
