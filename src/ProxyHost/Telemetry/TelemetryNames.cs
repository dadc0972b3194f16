using FingerprintProxy.Configuration.AwsSecretsManager;
using FingerprintProxy.Proxy;

namespace FingerprintProxy.Telemetry;

/// <summary>The fixed attribute values of the proxy's metrics, spans and access log: no value comes from a request unchecked.</summary>
internal static class TelemetryNames
{
    /// <summary>The route of a request that was answered before routing (origin verification, upgrade) or by another endpoint (health).</summary>
    public const string NoRoute = "none";

    public static string Route(RouteKind? route) => route switch
    {
        null => NoRoute,
        RouteKind.NotFound => "not_found",
        RouteKind.BadRequest => "bad_request",
        RouteKind.Status => "status",
        RouteKind.Agent => "agent",
        RouteKind.Result => "result",
        RouteKind.CatchAll => "catch_all",
        _ => NoRoute,
    };

    /// <summary>The method as the OpenTelemetry HTTP conventions name it: a known method, or <c>_OTHER</c>.</summary>
    public static string Method(string method) => method switch
    {
        "GET" => "GET",
        "POST" => "POST",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "CONNECT" => "CONNECT",
        "TRACE" => "TRACE",
        _ => "_OTHER",
    };

    public static string StatusClass(int statusCode) => statusCode switch
    {
        >= 100 and < 200 => "1xx",
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        >= 500 and < 600 => "5xx",
        _ => "other",
    };

    public static string Refusal(RefusalReason reason) => reason switch
    {
        RefusalReason.OriginVerification => "origin_verification",
        RefusalReason.Upgrade => "upgrade",
        RefusalReason.NotFound => "not_found",
        RefusalReason.BadRequest => "bad_request",
        RefusalReason.BodyTooLarge => "body_too_large",
        RefusalReason.BodyUnreadable => "body_unreadable",
        _ => "other",
    };

    public static string Outcome(SecretsManagerReloadOutcome outcome) => outcome switch
    {
        SecretsManagerReloadOutcome.Applied => "applied",
        SecretsManagerReloadOutcome.Unchanged => "unchanged",
        _ => "failed",
    };

    /// <summary>The <c>error.type</c> of a failure the proxy answered, from the fixed phrase of its error body (<see cref="ProxyRequestHandler.Describe"/>).</summary>
    public static string ErrorType(string reason) => reason switch
    {
        "the identification service did not answer in time" => "timeout",
        "the identification service is unreachable" => "unreachable",
        "the connection to the identification service was reset" => "connection_reset",
        "the identification service stopped reading the request" => "request_not_read",
        "the identification service response was cut off" => "response_cut_off",
        _ => "upstream_failed",
    };

    /// <summary>The <c>error.type</c> of an unhandled exception that the exception handler answered with a 500.</summary>
    public const string InternalError = "internal";

    /// <summary>The region label of an upstream origin: <c>eu</c>, <c>ap</c> or <c>us</c> (the global ingress).</summary>
    public static string Region(string origin, Configuration.IngressEndpoints ingress) =>
        string.Equals(origin, ingress.Eu, StringComparison.Ordinal) ? "eu"
        : string.Equals(origin, ingress.Ap, StringComparison.Ordinal) ? "ap"
        : "us";
}
