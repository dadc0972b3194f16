using FingerprintProxy.Configuration;

namespace FingerprintProxy.Secrets;

/// <summary>
/// Where the settings secret lives and how often it is read: <c>FPJS_SECRET_*</c> plus the standard AWS
/// variables for the region and endpoint (the same names the AWS SDKs and CLI read).
/// </summary>
internal sealed class SecretsManagerOptions
{
    public const double DefaultRefreshSeconds = 300;
    public const double DefaultTimeoutSeconds = 5;

    /// <summary>Name or ARN of the secret. When it is not set, Secrets Manager is not used at all.</summary>
    [ConfigurationKeyName(SettingKeys.SecretName)]
    public string? SecretName { get; set; }

    /// <summary>The secret's region; wins over the region of an ARN and over <c>AWS_REGION</c>.</summary>
    [ConfigurationKeyName(SettingKeys.SecretRegion)]
    public string? SecretRegion { get; set; }

    /// <summary>
    /// Seconds between two reads of the secret, i.e. how long a rotated value may take to be in force.
    /// Default 300, the cache lifetime of AWS's own Secrets Manager Lambda extension.
    /// </summary>
    [ConfigurationKeyName(SecretsManagerSettingKeys.RefreshSeconds)]
    public double RefreshSeconds { get; set; } = DefaultRefreshSeconds;

    /// <summary>Time allowed for one GetSecretValue call, connection included. Default 5 s.</summary>
    [ConfigurationKeyName(SecretsManagerSettingKeys.TimeoutSeconds)]
    public double TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;

    [ConfigurationKeyName(SecretsManagerSettingKeys.AwsRegion)]
    public string? AwsRegion { get; set; }

    [ConfigurationKeyName(SecretsManagerSettingKeys.AwsDefaultRegion)]
    public string? AwsDefaultRegion { get; set; }

    /// <summary>Service-specific endpoint override (VPC endpoint, LocalStack, a test fake).</summary>
    [ConfigurationKeyName(SecretsManagerSettingKeys.AwsEndpointUrlSecretsManager)]
    public string? EndpointUrlSecretsManager { get; set; }

    /// <summary>Endpoint override for every AWS service.</summary>
    [ConfigurationKeyName(SecretsManagerSettingKeys.AwsEndpointUrl)]
    public string? EndpointUrl { get; set; }

    /// <summary>"true" makes the two endpoint overrides be ignored, as in the AWS SDKs.</summary>
    [ConfigurationKeyName(SecretsManagerSettingKeys.AwsIgnoreConfiguredEndpointUrls)]
    public string? IgnoreConfiguredEndpointUrls { get; set; }

    // Not configuration (internal, so the binder leaves them alone): tuning that tests shorten.

    /// <summary>How long start-up waits for the first load before serving with the other settings.</summary>
    internal TimeSpan StartupWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per GetSecretValue call, the first included (retryable failures only).</summary>
    internal int MaxAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff between attempts of one call.</summary>
    internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of the backoff between failed refresh cycles (never above the refresh interval).</summary>
    internal TimeSpan MaxFailureDelay { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Configuration keys read by the Secrets Manager source besides <see cref="SettingKeys"/>.</summary>
internal static class SecretsManagerSettingKeys
{
    public const string RefreshSeconds = "FPJS_SECRET_REFRESH_SECONDS";
    public const string TimeoutSeconds = "FPJS_SECRET_TIMEOUT_SECONDS";
    public const string AwsRegion = "AWS_REGION";
    public const string AwsDefaultRegion = "AWS_DEFAULT_REGION";
    public const string AwsEndpointUrlSecretsManager = "AWS_ENDPOINT_URL_SECRETS_MANAGER";
    public const string AwsEndpointUrl = "AWS_ENDPOINT_URL";
    public const string AwsIgnoreConfiguredEndpointUrls = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
    public const string AwsAccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string AwsSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string AwsSessionToken = "AWS_SESSION_TOKEN";
}
