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

    public static IServiceCollection AddProxyHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks();
        return services;
    }

    public static IEndpointRouteBuilder MapProxyHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false }).WithDisplayName("Liveness");
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).WithDisplayName("Readiness");
        return endpoints;
    }
}
