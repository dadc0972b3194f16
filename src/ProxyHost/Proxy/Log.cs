using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Proxy;

/// <summary>The proxy's log messages. Never a secret, a cookie value or a query string.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Forwarding {Method} {Route} to {Origin} failed ({Error}): {Reason}")]
    public static partial void ForwardFailed(ILogger logger, string method, RouteKind route, string origin, ForwarderError error, string reason, Exception? exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Refused {Method} request: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Refused {Method} request with a {Length}-byte body (limit {Limit})")]
    public static partial void BodyTooLarge(ILogger logger, string method, long length, long limit);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "The client went away during {Method} {Route} ({Error})")]
    public static partial void ClientAborted(ILogger logger, string method, RouteKind route, ForwarderError error);
}
