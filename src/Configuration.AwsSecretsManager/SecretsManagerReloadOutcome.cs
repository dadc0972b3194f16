namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>What one read of the secret did.</summary>
public enum SecretsManagerReloadOutcome
{
    /// <summary>New content was read and is in force; the reload token fired.</summary>
    Applied,

    /// <summary>The content is the same as the one in force; nothing changed and no token fired.</summary>
    Unchanged,

    /// <summary>The read failed or the secret was rejected; the previous keys stay in force and no token fired.</summary>
    Failed,
}
