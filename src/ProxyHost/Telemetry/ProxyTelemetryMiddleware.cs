using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Telemetry;

/// <summary>
/// Around every request: starts the request span, hands the handler a <see cref="RequestTelemetry"/> to fill
/// in, and when the request ends records the metrics and writes the access log line. When nothing listens
/// (no meter listener, no tracer, no access log) it costs one check and allocates nothing.
/// </summary>
internal sealed class ProxyTelemetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ProxyMetrics _metrics;
    private readonly TelemetryFlush? _flush;
    private readonly ILogger? _accessLog;
    private readonly bool _onLambda;

    public ProxyTelemetryMiddleware(
        RequestDelegate next,
        ProxyMetrics metrics,
        IOptions<TelemetryOptions> options,
        ILoggerFactory loggers,
        TelemetryEnvironment environment,
        TelemetryFlush flush)
    {
        _next = next;
        _metrics = metrics;
        _flush = flush.Enabled ? flush : null;
        _onLambda = environment.OnLambda;
        _accessLog = options.Value.AccessLog ? loggers.CreateLogger(Log.AccessLogCategory) : null;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!_metrics.Enabled && _accessLog is null && !ProxyActivitySource.Source.HasListeners())
        {
            return _next(context);
        }

        return ObserveAsync(context);
    }

    private async Task ObserveAsync(HttpContext context)
    {
        var telemetry = new RequestTelemetry(Stopwatch.GetTimestamp(), StartActivity(context));
        context.Features.Set(telemetry);
        if (_flush is not null)
        {
            // After the response is sent (on Lambda: posted to the Runtime API), before the next request.
            context.Response.OnCompleted(static state => ((TelemetryFlush)state).FlushAsync(), _flush);
        }

        try
        {
            await _next(context);
        }
        finally
        {
            Complete(context, telemetry);
        }
    }

    private Activity? StartActivity(HttpContext context)
    {
        if (!ProxyActivitySource.Source.HasListeners())
        {
            return null;
        }

        // On Lambda the span joins the invocation's X-Ray trace, so that it sits under Lambda's own segment.
        // The Lambda host puts the invocation's trace header on the request (as _X_AMZN_TRACE_ID, which is
        // process-wide).
        if (_onLambda && XRayTraceHeader.TryParse(context.Request.Headers[XRayTraceHeader.HeaderName].ToString(), out var parent))
        {
            ActivityLink[]? links = Activity.Current is { } current ? [new ActivityLink(current.Context)] : null;
            return ProxyActivitySource.Source.StartActivity(ProxyActivitySource.Request, ActivityKind.Internal, parent, links: links);
        }

        return ProxyActivitySource.Source.StartActivity(ProxyActivitySource.Request, ActivityKind.Internal);
    }

    private void Complete(HttpContext context, RequestTelemetry telemetry)
    {
        var request = context.Request;
        var response = context.Response;
        var status = response.StatusCode;
        if (telemetry.ErrorType is null && status == StatusCodes.Status500InternalServerError && context.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            telemetry.Crashed();
        }

        var route = TelemetryNames.Route(telemetry.Route);
        _metrics.RequestCompleted(telemetry.Route, request.Method, status, telemetry.Region);
        if (telemetry.Refusal is { } refusal)
        {
            _metrics.Refused(refusal);
        }

        if (telemetry.Route is { } forwarded && telemetry.UpstreamDuration is { } upstream)
        {
            _metrics.UpstreamCompleted(forwarded, telemetry.Region, upstream, telemetry.UpstreamStatusCode, telemetry.ErrorType);
        }

        if (telemetry.ErrorType is { } errorType)
        {
            _metrics.ErrorAnswered(telemetry.Route, errorType);
        }

        if (telemetry.Activity is { } activity)
        {
            activity.DisplayName = ProxyActivitySource.Request + " " + route;
            activity.SetTag(ProxyMetrics.RouteAttribute, route);
            activity.SetTag(ProxyMetrics.MethodAttribute, TelemetryNames.Method(request.Method));
            activity.SetTag(ProxyMetrics.StatusCodeAttribute, status);
            activity.SetTag(ProxyMetrics.RegionAttribute, telemetry.Region);
            if (telemetry.Refusal is { } reason)
            {
                activity.SetTag(ProxyMetrics.RefusalReasonAttribute, TelemetryNames.Refusal(reason));
            }

            if (telemetry.ErrorType is { } type)
            {
                activity.SetTag(ProxyMetrics.ErrorTypeAttribute, type);
                activity.SetStatus(ActivityStatusCode.Error);
            }

            activity.Dispose();
        }

        if (_accessLog is not null)
        {
            Log.Access(
                _accessLog,
                TelemetryNames.Method(request.Method),
                route,
                telemetry.Region,
                status,
                Math.Round(Stopwatch.GetElapsedTime(telemetry.Started).TotalMilliseconds, 3),
                telemetry.UpstreamStatusCode,
                telemetry.UpstreamDuration is { } duration ? Math.Round(duration.TotalMilliseconds, 3) : null,
                request.ContentLength,
                response.ContentLength,
                telemetry.Refusal is { } refused ? TelemetryNames.Refusal(refused) : null,
                telemetry.ClientAborted ? "client_aborted" : telemetry.ErrorType);
        }
    }
}
