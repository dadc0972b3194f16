using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>
/// The secret to read, resolved once when the provider is built: its id, the region that signs the
/// request and the endpoint it is sent to.
/// </summary>
internal sealed record SecretsManagerTarget
{
    internal const string EndpointUrlSecretsManagerVariable = "AWS_ENDPOINT_URL_SECRETS_MANAGER";
    internal const string EndpointUrlVariable = "AWS_ENDPOINT_URL";
    internal const string IgnoreConfiguredEndpointUrlsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
    internal const string DefaultRegionVariable = "AWS_DEFAULT_REGION";

    private static readonly SearchValues<char> RegionChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>The name or ARN sent as <c>SecretId</c>.</summary>
    public required string SecretId { get; init; }

    /// <summary>The signing region, e.g. <c>eu-west-1</c>.</summary>
    public required string Region { get; init; }

    /// <summary>Where GetSecretValue is posted, e.g. <c>https://secretsmanager.eu-west-1.amazonaws.com/</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The secret and its region, never its value: <c>name (region)</c>.</summary>
    public string Description => SecretId + " (" + Region + ")";

    /// <summary>
    /// Resolves the target. Region: <c>AwsOptions.Region</c>, else the region of an ARN, else the region of
    /// <c>AwsOptions.Profile</c>, else the SDK's fallback (<c>AWS_REGION</c>, the <c>AWS_PROFILE</c> or default
    /// profile), else <c>AWS_DEFAULT_REGION</c>, else the EC2 instance metadata (the SDK's last step).
    /// Endpoint: <c>AwsOptions.DefaultClientConfig.ServiceURL</c>, else <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>,
    /// else <c>AWS_ENDPOINT_URL</c> (both skipped when endpoint URLs are ignored), else the regional endpoint.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options are invalid or no region can be found.</exception>
    public static SecretsManagerTarget Resolve(SecretsManagerConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var secretId = source.SecretId?.Trim();
        if (string.IsNullOrEmpty(secretId))
        {
            throw Invalid($"{nameof(SecretsManagerConfigurationSource.SecretId)} is not set: give the name or ARN of the secret.");
        }

        if (secretId.Length > 2048)
        {
            throw Invalid($"{nameof(SecretsManagerConfigurationSource.SecretId)} is longer than 2048 characters, the limit of a secret ARN.");
        }

        var options = source.AwsOptions;
        var arnRegion = RegionOfArn(secretId);
        var explicitRegion = options?.Region?.SystemName;
        if (explicitRegion is not null && arnRegion is not null && explicitRegion != arnRegion)
        {
            throw Invalid($"AwsOptions.Region is {explicitRegion} but the ARN in {nameof(SecretsManagerConfigurationSource.SecretId)} is in {arnRegion}.");
        }

        var region = explicitRegion ?? arnRegion ?? ProfileRegion(options) ?? FallbackRegion()
            ?? throw Invalid($"No AWS region for secret {secretId}: set AwsOptions.Region, use the secret's ARN, or set AWS_REGION.");
        if (!IsRegionName(region))
        {
            throw Invalid($"The secret's region must be a region name such as eu-west-1, not '{SecretJsonParser.ShowKey(region)}'.");
        }

        return new SecretsManagerTarget { SecretId = secretId, Region = region, Endpoint = ResolveEndpoint(options, region) };
    }

    /// <summary>The region of an ARN such as <c>arn:aws:secretsmanager:eu-west-1:123456789012:secret:name</c>.</summary>
    internal static string? RegionOfArn(string secretId)
    {
        if (!secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = secretId.Split(':', 7);
        return parts.Length == 7 && parts[2] == "secretsmanager" && parts[3].Length > 0 ? parts[3] : null;
    }

    internal static bool IsRegionName(ReadOnlySpan<char> value) =>
        value.Length is > 0 and <= 40 && char.IsAsciiLetterLower(value[0]) && !value.ContainsAnyExcept(RegionChars);

    private static string? ProfileRegion(Amazon.Extensions.NETCore.Setup.AWSOptions? options)
    {
        if (string.IsNullOrEmpty(options?.Profile))
        {
            return null;
        }

        var profiles = new CredentialProfileStoreChain(options.ProfilesLocation);
        return profiles.TryGetProfile(options.Profile, out var profile) ? profile.Region?.SystemName : null;
    }

    private static string? FallbackRegion()
    {
        // AWS_DEFAULT_REGION (read by the AWS CLI, not by the .NET SDK) comes before the instance metadata,
        // which on anything but EC2 costs a connection attempt.
        var region = FallbackRegionFactory.GetRegionEndpoint(includeInstanceMetadata: false)?.SystemName;
        if (region is null && Environment.GetEnvironmentVariable(DefaultRegionVariable) is { Length: > 0 } defaultRegion)
        {
            region = defaultRegion.Trim();
        }

        return region ?? FallbackRegionFactory.GetRegionEndpoint(includeInstanceMetadata: true)?.SystemName;
    }

    private static Uri ResolveEndpoint(Amazon.Extensions.NETCore.Setup.AWSOptions? options, string region)
    {
        if (!string.IsNullOrWhiteSpace(options?.DefaultClientConfig.ServiceURL))
        {
            return ParseEndpoint(options.DefaultClientConfig.ServiceURL.Trim(), "AwsOptions.DefaultClientConfig.ServiceURL");
        }

        var ignoreConfigured = options?.DefaultClientConfig.IgnoreConfiguredEndpointUrls == true
            || string.Equals(Environment.GetEnvironmentVariable(IgnoreConfiguredEndpointUrlsVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        if (!ignoreConfigured)
        {
            foreach (var variable in (ReadOnlySpan<string>)[EndpointUrlSecretsManagerVariable, EndpointUrlVariable])
            {
                if (Environment.GetEnvironmentVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value))
                {
                    return ParseEndpoint(value.Trim(), variable);
                }
            }
        }

        // The partition's DNS suffix: amazonaws.com, amazonaws.com.cn for the China regions, and so on.
        var dnsSuffix = RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix;
        return new Uri("https://secretsmanager." + region + "." + dnsSuffix + "/");
    }

    private static Uri ParseEndpoint(string value, string setting) =>
        TryParseEndpoint(value, out var endpoint)
            ? endpoint
            : throw Invalid($"{setting} must be an absolute http or https URL without query, fragment or user info.");

    private static bool TryParseEndpoint(string value, [NotNullWhen(true)] out Uri? endpoint)
    {
        endpoint = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }

        endpoint = uri;
        return true;
    }

    private static InvalidOperationException Invalid(string message) => new("AWS Secrets Manager configuration: " + message);
}
