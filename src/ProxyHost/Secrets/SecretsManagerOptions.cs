using FingerprintProxy.Configuration;

namespace FingerprintProxy.Secrets;

/// <summary>
/// Where the settings secret lives and how often it is read (<c>FPJS_SECRET_*</c>). Region, profile,
/// credentials and endpoint follow the AWS SDK's own conventions (<c>AWS_REGION</c>, <c>AWS_PROFILE</c>,
/// <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>, the <c>AWS</c> configuration section). These settings are read
/// before the secret, so the secret cannot set them.
/// </summary>
internal sealed class SecretsManagerOptions
{
    public const double DefaultRefreshSeconds = 300;
    public const double DefaultTimeoutSeconds = 5;

    /// <summary>Name or ARN of the secret. When it is not set, Secrets Manager is not used at all.</summary>
    [ConfigurationKeyName(SettingKeys.SecretName)]
    public string? SecretName { get; set; }

    /// <summary>The secret's region; wins over <c>AWS_REGION</c>. An ARN's own region is used when neither is set.</summary>
    [ConfigurationKeyName(SettingKeys.SecretRegion)]
    public string? SecretRegion { get; set; }

    /// <summary>
    /// Seconds between two reads of the secret, i.e. how long a rotated value may take to be in force.
    /// Default 300, the cache lifetime of AWS's own Secrets Manager Lambda extension.
    /// </summary>
    [ConfigurationKeyName(SettingKeys.SecretRefreshSeconds)]
    public double RefreshSeconds { get; set; } = DefaultRefreshSeconds;

    /// <summary>Time allowed for one GetSecretValue call, connection included. Default 5 s.</summary>
    [ConfigurationKeyName(SettingKeys.SecretTimeoutSeconds)]
    public double TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;
}
