namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>
/// What the provider knows about its secret, for health checks and status pages: an immutable snapshot,
/// replaced after every attempt. It never holds a value of the secret.
/// </summary>
public sealed record SecretsManagerState
{
    /// <summary>The secret and its region, <c>name (region)</c>.</summary>
    public required string Target { get; init; }

    /// <summary>Whether the secret has been read successfully at least once.</summary>
    public bool Loaded { get; init; }

    /// <summary>When the last successful read ended.</summary>
    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>When the last read ended, successful or not.</summary>
    public DateTimeOffset? LastAttempt { get; init; }

    /// <summary>Why the last read failed or the secret was rejected; null when the last read succeeded.</summary>
    public string? LastError { get; init; }

    /// <summary>When the last failure happened (kept after a later success).</summary>
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>The version id of the secret in force.</summary>
    public string? VersionId { get; init; }

    /// <summary>The configuration keys in force from the secret, sorted; names only.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];
}
