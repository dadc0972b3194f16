namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>A failed read, passed to <see cref="SecretsManagerConfigurationSource.OnLoadException"/>.</summary>
public sealed class SecretsManagerLoadExceptionContext
{
    internal SecretsManagerLoadExceptionContext(SecretsManagerConfigurationProvider provider, SecretsManagerException exception, bool reload)
    {
        Provider = provider;
        Exception = exception;
        Reload = reload;
    }

    /// <summary>The provider whose read failed.</summary>
    public SecretsManagerConfigurationProvider Provider { get; }

    /// <summary>Why the read failed; its message holds no value of the secret.</summary>
    public SecretsManagerException Exception { get; }

    /// <summary>False for the first load, true for every read after it.</summary>
    public bool Reload { get; }

    /// <summary>
    /// Set to true on the first load to keep <see cref="SecretsManagerConfigurationProvider.Load"/> from
    /// throwing; the provider then goes on as an optional one. No effect on later reads, which never throw.
    /// </summary>
    public bool Ignore { get; set; }
}
