namespace FingerprintProxy.Secrets;

/// <summary>
/// Log events of the Secrets Manager source, ids 4001-4099 (stable: alerts and queries may key on them).
/// None takes a secret value: only the secret's name, region, version id, key names and error texts.
/// </summary>
internal static partial class SecretsManagerLog
{
    [LoggerMessage(EventId = 4001, EventName = "SecretApplied", Level = LogLevel.Information,
        Message = "Settings from secret {Secret} (version {VersionId}) are in force; keys: {Keys}.")]
    public static partial void SecretApplied(ILogger logger, string secret, string? versionId, string keys);

    [LoggerMessage(EventId = 4002, EventName = "SecretUnchanged", Level = LogLevel.Debug,
        Message = "Secret {Secret} (version {VersionId}) is unchanged.")]
    public static partial void SecretUnchanged(ILogger logger, string secret, string? versionId);

    [LoggerMessage(EventId = 4003, EventName = "SecretRejected", Level = LogLevel.Error,
        Message = "Secret {Secret} (version {VersionId}) was rejected as a whole; the previous settings stay in force. {Reason} Next attempt in {DelaySeconds:0.#} s.")]
    public static partial void SecretRejected(ILogger logger, string secret, string? versionId, string reason, double delaySeconds);

    [LoggerMessage(EventId = 4004, EventName = "SecretReadFailed", Level = LogLevel.Warning,
        Message = "Could not read secret {Secret} ({Kind}); the previous settings stay in force. {Reason} Next attempt in {DelaySeconds:0.#} s.")]
    public static partial void SecretReadFailed(ILogger logger, string secret, SecretsManagerErrorKind kind, string reason, double delaySeconds);

    [LoggerMessage(EventId = 4005, EventName = "SecretNotLoadedAtStartup", Level = LogLevel.Warning,
        Message = "Secret {Secret} was not loaded within {WaitSeconds:0.#} s of start-up: serving with the environment and file settings until it is.")]
    public static partial void SecretNotLoadedAtStartup(ILogger logger, string secret, double waitSeconds);

    [LoggerMessage(EventId = 4006, EventName = "RetryingGetSecretValue", Level = LogLevel.Information,
        Message = "GetSecretValue attempt {Attempt} failed ({Kind} {ErrorCode}); retrying in {DelayMilliseconds:0} ms.")]
    public static partial void RetryingGetSecretValue(ILogger logger, int attempt, SecretsManagerErrorKind kind, string? errorCode, double delayMilliseconds);

    [LoggerMessage(EventId = 4007, EventName = "SecretKeysIgnored", Level = LogLevel.Warning,
        Message = "Secret {Secret} has keys that are not proxy settings, ignored (check the spelling): {Keys}.")]
    public static partial void SecretKeysIgnored(ILogger logger, string secret, string keys);

    [LoggerMessage(EventId = 4008, EventName = "SecretRefreshCrashed", Level = LogLevel.Error,
        Message = "Unexpected error while refreshing secret {Secret}; the previous settings stay in force. Next attempt in {DelaySeconds:0.#} s.")]
    public static partial void SecretRefreshCrashed(ILogger logger, Exception exception, string secret, double delaySeconds);

    [LoggerMessage(EventId = 4009, EventName = "SecretsManagerSourceStarted", Level = LogLevel.Information,
        Message = "Reading settings from secret {Secret} at {Endpoint} every {RefreshSeconds:0.#} s.")]
    public static partial void SourceStarted(ILogger logger, string secret, string endpoint, double refreshSeconds);
}
