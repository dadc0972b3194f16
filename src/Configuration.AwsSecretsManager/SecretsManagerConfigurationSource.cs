using Amazon.Extensions.NETCore.Setup;
using Microsoft.Extensions.Configuration;

namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>
/// A configuration source that reads one AWS Secrets Manager secret, a JSON object, into configuration
/// keys (nested objects as <c>a:b</c>, as JsonConfigurationProvider does) and, when <see cref="ReloadAfter"/>
/// is set, keeps it current. Add it with
/// <see cref="SecretsManagerConfigurationExtensions.AddSecretsManager(IConfigurationBuilder, Action{SecretsManagerConfigurationSource})"/>.
/// </summary>
public sealed class SecretsManagerConfigurationSource : IConfigurationSource
{
    /// <summary>The secret's name or ARN. Required.</summary>
    public string? SecretId { get; set; }

    /// <summary>The staging label to read, sent explicitly with every request. Default <c>AWSCURRENT</c>.</summary>
    public string VersionStage { get; set; } = "AWSCURRENT";

    /// <summary>
    /// Region, profile (<see cref="AWSOptions.Profile"/>, <see cref="AWSOptions.ProfilesLocation"/>),
    /// credentials and endpoint (<c>DefaultClientConfig.ServiceURL</c>), as for any AWS SDK client; typically
    /// <c>configuration.GetAWSOptions()</c>. When null, or for what it leaves unset, the SDK's defaults apply:
    /// the region of an ARN or <c>AWS_REGION</c>, the endpoint from <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c> or
    /// <c>AWS_ENDPOINT_URL</c>, and the default credential chain.
    /// </summary>
    public AWSOptions? AwsOptions { get; set; }

    /// <summary>How often the secret is read again. Null (the default): it is loaded once.</summary>
    public TimeSpan? ReloadAfter { get; set; }

    /// <summary>
    /// Each interval is <see cref="ReloadAfter"/> plus or minus this fraction of it, chosen at random, so that
    /// a fleet started together does not call Secrets Manager in lock-step. Default 0.1; 0 to 0.5.
    /// </summary>
    public double ReloadJitter { get; set; } = 0.1;

    /// <summary>
    /// How long <see cref="SecretsManagerConfigurationProvider.Load"/> waits for the first read. When it takes
    /// longer, Load returns without the secret's keys and the read goes on in the background; its result fires
    /// the reload token when it lands. Default 5 seconds.
    /// </summary>
    public TimeSpan InitialLoadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for one GetSecretValue attempt, credential resolution included. Default 5 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Attempts per read, the first included. Only throttling, server errors, timeouts and network errors are
    /// retried, with exponential backoff and jitter. Default 3.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Upper bound of the backoff between failed reads (exponential from 1 second; never above
    /// <see cref="ReloadAfter"/>). Default 60 seconds.
    /// </summary>
    public TimeSpan MaxFailureDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// False (the default): when the first read fails within <see cref="InitialLoadTimeout"/>,
    /// <see cref="SecretsManagerConfigurationProvider.Load"/> throws with the reason. True: the provider starts
    /// without the secret's keys, records the error in its state and keeps retrying.
    /// </summary>
    public bool Optional { get; set; }

    /// <summary>
    /// When set, keys (after flattening, e.g. <c>a:b</c>) for which it returns false are left out of
    /// configuration, e.g. keys that say where the secret itself is.
    /// </summary>
    public Func<string, bool>? KeyFilter { get; set; }

    /// <summary>The clock for the reload timer, the backoff, the timeouts and the state's timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Called after every failed read, with the error (never a value). On the first load, setting
    /// <see cref="SecretsManagerLoadExceptionContext.Ignore"/> keeps <see cref="SecretsManagerConfigurationProvider.Load"/>
    /// from throwing, as if <see cref="Optional"/> were true.
    /// </summary>
    public Action<SecretsManagerLoadExceptionContext>? OnLoadException { get; set; }

    /// <summary>Builds the provider for this source (the options are read now; later changes are not seen).</summary>
    /// <param name="builder">The configuration builder (not used).</param>
    /// <exception cref="InvalidOperationException">An option is invalid, or no region can be found.</exception>
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new SecretsManagerConfigurationProvider(this);
}
