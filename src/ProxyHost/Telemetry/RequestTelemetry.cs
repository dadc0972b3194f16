using System.Diagnostics;
using FingerprintProxy.Configuration;
using FingerprintProxy.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Telemetry;

/// <summary>
/// What the request handler learns about one request, for the metrics, the span and the access log that
/// <see cref="ProxyTelemetryMiddleware"/> writes when the request ends. A request feature; absent (and
/// every hook a no-op) when nothing listens.
/// </summary>
internal sealed class RequestTelemetry
{
    private long _upstreamStarted;
    private Activity? _upstreamActivity;

    public RequestTelemetry(long started, Activity? activity)
    {
        Started = started;
        Activity = activity;
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the request reached the proxy.</summary>
    public long Started { get; }

    /// <summary>The request's span, when a tracer listens.</summary>
    public Activity? Activity { get; }

    /// <summary>The route, once the handler has routed the request.</summary>
    public RouteKind? Route { get; private set; }

    /// <summary>The region of the upstream origin, for forwarded routes: <c>us</c>, <c>eu</c> or <c>ap</c>.</summary>
    public string? Region { get; private set; }

    public RefusalReason? Refusal { get; private set; }

    /// <summary>The <c>error.type</c> of a failure the proxy answered (or could no longer answer).</summary>
    public string? ErrorType { get; private set; }

    public bool ClientAborted { get; private set; }

    /// <summary>Fingerprint's status code, when it answered.</summary>
    public int? UpstreamStatusCode { get; private set; }

    public TimeSpan? UpstreamDuration { get; private set; }

    public static RequestTelemetry? Of(HttpContext context) => context.Features.Get<RequestTelemetry>();

    public void Routed(RouteMatch match, RouteTable routes)
    {
        Route = match.Kind;
        if (match.Origin is { } origin)
        {
            Region = TelemetryNames.Region(origin, routes.Ingress);
        }
    }

    public void Refused(RefusalReason reason) => Refusal = reason;

    public void ForwardStarting()
    {
        _upstreamStarted = Stopwatch.GetTimestamp();
        _upstreamActivity = ProxyActivitySource.Source.StartActivity(ProxyActivitySource.Upstream, ActivityKind.Internal);
        _upstreamActivity?.SetTag(ProxyMetrics.RegionAttribute, Region);
    }

    public void ForwardCompleted(HttpContext context, ForwarderError error)
    {
        UpstreamDuration = Stopwatch.GetElapsedTime(_upstreamStarted);
        if (error == ForwarderError.None || context.Response.HasStarted)
        {
            // YARP copies Fingerprint's status to the response as soon as its headers arrive.
            UpstreamStatusCode = context.Response.StatusCode;
        }

        if (_upstreamActivity is { } activity)
        {
            if (UpstreamStatusCode is { } status)
            {
                activity.SetTag(ProxyMetrics.StatusCodeAttribute, status);
            }

            if (error != ForwarderError.None)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.ToString());
            }

            activity.Dispose();
        }
    }

    public void Failed(string reason) => ErrorType = TelemetryNames.ErrorType(reason);

    public void Aborted() => ClientAborted = true;

    /// <summary>Marks a 500 from the exception handler.</summary>
    public void Crashed() => ErrorType = TelemetryNames.InternalError;
}
