namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>The result of one read of the secret, raised as <see cref="SecretsManagerConfigurationProvider.ReloadCompleted"/>.</summary>
public sealed class SecretsManagerReloadEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="outcome">What the read did.</param>
    /// <param name="error">Why it failed, when it did.</param>
    /// <param name="versionId">The version id read, when the read succeeded.</param>
    /// <param name="state">The provider's state after the read.</param>
    public SecretsManagerReloadEventArgs(SecretsManagerReloadOutcome outcome, SecretsManagerException? error, string? versionId, SecretsManagerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Outcome = outcome;
        Error = error;
        VersionId = versionId;
        State = state;
    }

    /// <summary>What the read did.</summary>
    public SecretsManagerReloadOutcome Outcome { get; }

    /// <summary>Why the read failed (its message holds no value of the secret); null unless <see cref="Outcome"/> is Failed.</summary>
    public SecretsManagerException? Error { get; }

    /// <summary>The version id read; null when the read failed before an answer.</summary>
    public string? VersionId { get; }

    /// <summary>The provider's state after the read.</summary>
    public SecretsManagerState State { get; }
}
