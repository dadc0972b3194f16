namespace FingerprintProxy.Secrets;

/// <summary>
/// Log events of the settings secret, ids 4001-4099 (stable: alerts and queries may key on them). None
/// takes a secret value: only the secret's name, region, version id, key names and error texts.
/// </summary>
internal static partial class SecretsManagerLog
{
    [LoggerMessage(EventId = 4001, EventName = "SecretApplied", Level = LogLevel.Information,
        Message = "Settings from secret {Secret} (version {VersionId}) are loaded; keys: {Keys}.")]
    public static partial void SecretApplied(ILogger logger, string secret, string? versionId, string keys);

    [LoggerMessage(EventId = 4002, EventName = "SecretUnchanged", Level = LogLevel.Debug,
        Message = "Secret {Secret} (version {VersionId}) is unchanged.")]
    public static partial void SecretUnchanged(ILogger logger, string secret, string? versionId);

    [LoggerMessage(EventId = 4004, EventName = "SecretReadFailed", Level = LogLevel.Warning,
        Message = "Could not read secret {Secret}; the previous settings stay in force. {Reason}")]
    public static partial void SecretReadFailed(ILogger logger, string secret, string reason);

    [LoggerMessage(EventId = 4005, EventName = "SecretNotLoadedAtStartup", Level = LogLevel.Warning,
        Message = "Secret {Secret} is not loaded yet: serving with the environment and file settings until it is. {Reason}")]
    public static partial void SecretNotLoadedAtStartup(ILogger logger, string secret, string? reason);

    [LoggerMessage(EventId = 4007, EventName = "SecretKeysIgnored", Level = LogLevel.Warning,
        Message = "Secret {Secret} has keys that are not proxy settings, ignored (check the spelling): {Keys}.")]
    public static partial void SecretKeysIgnored(ILogger logger, string secret, string keys);

    [LoggerMessage(EventId = 4009, EventName = "SecretsManagerSourceStarted", Level = LogLevel.Information,
        Message = "Reading settings from secret {Secret} every {RefreshSeconds:0.#} s.")]
    public static partial void SourceStarted(ILogger logger, string secret, double refreshSeconds);
}
