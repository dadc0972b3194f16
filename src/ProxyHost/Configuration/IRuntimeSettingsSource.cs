namespace FingerprintProxy.Configuration;

/// <summary>
/// A source of settings that can change while the proxy runs (the Secrets Manager secret). It applies
/// its values through <see cref="ProxySettingsStore.TryApplyOverrides"/> and reports its state here
/// for the status page and the readiness check.
/// </summary>
public interface IRuntimeSettingsSource
{
    /// <summary>Display name, e.g. "AWS Secrets Manager".</summary>
    string Name { get; }

    /// <summary>The current state; never holds a secret value.</summary>
    RuntimeSettingsSourceState State { get; }

    /// <summary>
    /// Refreshes now when the last attempt is older than the refresh interval, and returns once the
    /// values are current (or the token is cancelled). For hosts whose timers stop between requests: a
    /// frozen Lambda execution environment calls it before serving an invocation.
    /// </summary>
    Task RefreshIfStaleAsync(CancellationToken cancellationToken);
}

/// <summary>What the status page and readiness show of a runtime settings source.</summary>
public sealed record RuntimeSettingsSourceState
{
    /// <summary>What is read, e.g. the secret's name and region (not its value).</summary>
    public required string Target { get; init; }

    /// <summary>True once a value has been loaded and applied at least once.</summary>
    public bool Loaded { get; init; }

    /// <summary>When values were last loaded and applied successfully.</summary>
    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>When the last attempt (successful or not) finished.</summary>
    public DateTimeOffset? LastAttempt { get; init; }

    /// <summary>The last failure's message (never a secret), or null after a success.</summary>
    public string? LastError { get; init; }

    /// <summary>When the last failure happened.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }
}
