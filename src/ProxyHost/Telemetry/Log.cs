namespace FingerprintProxy.Telemetry;

/// <summary>The telemetry's log messages: the opt-in access log. Never a secret, a cookie or a query string.</summary>
internal static partial class Log
{
    /// <summary>The access log's category: its level can be set on its own (<c>Logging:LogLevel:FingerprintProxy.AccessLog</c>).</summary>
    public const string AccessLogCategory = "FingerprintProxy.AccessLog";

    [LoggerMessage(EventId = 5001, EventName = "Access", Level = LogLevel.Information,
        Message = "{Method} {Route} region={Region} status={StatusCode} duration={DurationMs}ms upstream_status={UpstreamStatusCode} upstream_duration={UpstreamDurationMs}ms bytes_in={RequestBytes} bytes_out={ResponseBytes} refused={Refusal} error={ErrorType}")]
    public static partial void Access(
        ILogger logger, string method, string route, string? region, int statusCode, double durationMs,
        int? upstreamStatusCode, double? upstreamDurationMs, long? requestBytes, long? responseBytes, string? refusal, string? errorType);

    [LoggerMessage(EventId = 5002, EventName = "EmfWriteFailed", Level = LogLevel.Warning, Message = "Writing the metrics (EMF) failed")]
    public static partial void EmfFailed(ILogger logger, Exception exception);
}
