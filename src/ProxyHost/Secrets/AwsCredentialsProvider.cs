using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace FingerprintProxy.Secrets;

/// <summary>Supplies the AWS credentials that sign GetSecretValue. Replaceable in DI (tests, other hosts).</summary>
internal interface IAwsCredentialsProvider
{
    /// <summary>
    /// The credentials to sign with. Refreshing credentials (container, instance profile, web identity)
    /// renew themselves when the signer asks for their current value.
    /// </summary>
    ValueTask<AWSCredentials> GetCredentialsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and <c>AWS_SESSION_TOKEN</c> from configuration
/// first (environment variables are configuration, so this is the SDK's own first step, and it lets the
/// command line carry them in tests), else the SDK's default chain: web identity, profiles, ECS/Lambda
/// container credentials, EC2 instance profile.
/// </summary>
internal sealed class AwsCredentialsProvider : IAwsCredentialsProvider, IDisposable
{
    private readonly AWSCredentials? _fromConfiguration;
    private readonly Lazy<DefaultAWSCredentialsIdentityResolver> _defaultChain = new(() => new DefaultAWSCredentialsIdentityResolver());

    public AwsCredentialsProvider(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var accessKey = configuration[SecretsManagerSettingKeys.AwsAccessKeyId];
        var secretKey = configuration[SecretsManagerSettingKeys.AwsSecretAccessKey];
        var sessionToken = configuration[SecretsManagerSettingKeys.AwsSessionToken];
        if (!string.IsNullOrEmpty(accessKey) && !string.IsNullOrEmpty(secretKey))
        {
            _fromConfiguration = string.IsNullOrEmpty(sessionToken)
                ? new BasicAWSCredentials(accessKey, secretKey)
                : new SessionAWSCredentials(accessKey, secretKey, sessionToken);
        }
    }

    public async ValueTask<AWSCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        if (_fromConfiguration is not null)
        {
            return _fromConfiguration;
        }

        // The resolver caches what it finds; a null client config means the defaults (no profile override).
        return await _defaultChain.Value.ResolveIdentityAsync(null!, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_defaultChain.IsValueCreated)
        {
            _defaultChain.Value.Dispose();
        }
    }
}
