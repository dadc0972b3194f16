namespace FingerprintProxy.Health;

internal static partial class Log
{
    [LoggerMessage(EventId = 6001, EventName = "ShutdownDraining", Level = LogLevel.Information,
        Message = "Stopping: readiness is 503 and connections close after their answer; new connections are refused in {DrainSeconds:0.#} s.")]
    public static partial void Draining(ILogger logger, double drainSeconds);
}
