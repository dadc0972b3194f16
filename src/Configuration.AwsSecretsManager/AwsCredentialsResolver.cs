using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>
/// The credentials that sign GetSecretValue, chosen as the AWS SDK's clients choose them from
/// <see cref="AWSOptions"/>: <see cref="AWSOptions.Credentials"/>, else the named profile
/// (<see cref="AWSOptions.Profile"/> in <see cref="AWSOptions.ProfilesLocation"/> or the default files),
/// else the SDK's default chain (environment, web identity, profile, container, instance metadata).
/// </summary>
internal sealed class AwsCredentialsResolver : IDisposable
{
    private readonly AWSCredentials? _fixed;
    private readonly string? _profile;
    private readonly string? _profilesLocation;
    private readonly Lazy<DefaultAWSCredentialsIdentityResolver> _defaultChain = new(() => new DefaultAWSCredentialsIdentityResolver());
    private AWSCredentials? _fromProfile;

    public AwsCredentialsResolver(AWSOptions? options)
    {
        _fixed = options?.Credentials;
        _profilesLocation = string.IsNullOrWhiteSpace(options?.ProfilesLocation) ? null : options.ProfilesLocation;
        _profile = !string.IsNullOrWhiteSpace(options?.Profile) ? options.Profile
            : _profilesLocation is not null ? "default"
            : null;
    }

    /// <summary>
    /// The credentials to sign with. Refreshing credentials (container, instance profile, web identity, SSO)
    /// renew themselves when the signer asks for their current value.
    /// </summary>
    /// <exception cref="SecretsManagerException">The profile does not exist or holds no credentials.</exception>
    /// <exception cref="AmazonClientException">The default chain found no credentials.</exception>
    public async ValueTask<AWSCredentials> GetAsync(CancellationToken cancellationToken)
    {
        if (_fixed is not null)
        {
            return _fixed;
        }

        if (_profile is not null)
        {
            return _fromProfile ??= ReadProfile(_profile, _profilesLocation);
        }

        // The resolver caches what it finds; a null client config means the SDK's defaults.
        return await _defaultChain.Value.ResolveIdentityAsync(null!, cancellationToken).ConfigureAwait(false);
    }

    private static AWSCredentials ReadProfile(string profile, string? location)
    {
        var profiles = new CredentialProfileStoreChain(location);
        return profiles.TryGetAWSCredentials(profile, out var credentials)
            ? credentials
            : throw new SecretsManagerException(SecretsManagerErrorKind.NoCredentials,
                $"No usable AWS credentials: profile '{profile}' was not found in {location ?? "the shared AWS config and credentials files"}, or it holds no credentials.");
    }

    public void Dispose()
    {
        if (_defaultChain.IsValueCreated)
        {
            _defaultChain.Value.Dispose();
        }
    }
}
