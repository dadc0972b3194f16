namespace FingerprintProxy.Configuration;

/// <summary>Log messages about the settings in force. Never a value: only setting names and reasons.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "SettingsApplied", Level = LogLevel.Information,
        Message = "Changed settings are in force")]
    public static partial void SettingsApplied(ILogger logger);

    [LoggerMessage(EventId = 3002, EventName = "SettingsChangeRefused", Level = LogLevel.Error,
        Message = "A settings change was refused; the settings in force stay: {Reason}")]
    public static partial void SettingsChangeRefused(ILogger logger, string reason);
}
