using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using FingerprintProxy.Configuration;

namespace FingerprintProxy.Secrets;

/// <summary>
/// The secret to read, resolved once from <see cref="SecretsManagerOptions"/>: its id, the region that signs
/// the request and the endpoint it is sent to.
/// </summary>
internal sealed record SecretsManagerTarget
{
    private static readonly SearchValues<char> RegionChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>The name or ARN sent as <c>SecretId</c>.</summary>
    public required string SecretId { get; init; }

    /// <summary>The signing region, e.g. <c>eu-west-1</c>.</summary>
    public required string Region { get; init; }

    /// <summary>Where GetSecretValue is posted, e.g. <c>https://secretsmanager.eu-west-1.amazonaws.com/</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>What the status page shows: the secret and its region, never its value.</summary>
    public string Description => SecretId + " (" + Region + ")";

    /// <summary>
    /// Resolves the target. The region comes from <c>FPJS_SECRET_REGION</c>, else from the secret's ARN, else
    /// <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>. The endpoint comes from
    /// <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>, else <c>AWS_ENDPOINT_URL</c>, else the public regional endpoint.
    /// </summary>
    /// <param name="options">The bound settings.</param>
    /// <param name="target">The target, when every setting is valid.</param>
    /// <param name="errors">Every problem found, each naming its setting; empty on success.</param>
    public static bool TryResolve(SecretsManagerOptions options, [NotNullWhen(true)] out SecretsManagerTarget? target, out List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        target = null;
        errors = [];

        var secretId = options.SecretName?.Trim();
        if (string.IsNullOrEmpty(secretId))
        {
            errors.Add($"{SettingKeys.SecretName} is not set.");
            return false;
        }

        if (secretId.Length > 2048)
        {
            errors.Add($"{SettingKeys.SecretName} is longer than 2048 characters, the limit of a secret ARN.");
        }

        var arnRegion = RegionOfArn(secretId);
        var region = FirstSet(options.SecretRegion, arnRegion, options.AwsRegion, options.AwsDefaultRegion);
        if (region is null)
        {
            errors.Add($"{SettingKeys.SecretRegion} (or {SecretsManagerSettingKeys.AwsRegion}) must be set when {SettingKeys.SecretName} is set.");
        }
        else if (!IsRegionName(region))
        {
            errors.Add($"The secret's region ({SettingKeys.SecretRegion} or {SecretsManagerSettingKeys.AwsRegion}) must be a region name such as eu-west-1.");
        }
        else if (arnRegion is not null && !string.IsNullOrWhiteSpace(options.SecretRegion) && arnRegion != region)
        {
            errors.Add($"{SettingKeys.SecretRegion} is {region} but the ARN in {SettingKeys.SecretName} is in {arnRegion}.");
        }

        Uri? endpoint = null;
        if (EndpointOverride(options) is { } endpointOverride)
        {
            if (!TryParseEndpoint(endpointOverride.Value, out endpoint))
            {
                errors.Add($"{endpointOverride.Key} must be an absolute http or https URL without query, fragment or user info.");
            }
        }
        else if (region is not null && errors.Count == 0)
        {
            // The partition's DNS suffix: amazonaws.com, amazonaws.com.cn for the China regions, and so on.
            var dnsSuffix = Amazon.RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix;
            endpoint = new Uri("https://secretsmanager." + region + "." + dnsSuffix + "/");
        }

        if (errors.Count > 0 || endpoint is null || region is null)
        {
            return false;
        }

        target = new SecretsManagerTarget { SecretId = secretId, Region = region, Endpoint = endpoint };
        return true;
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

    private static (string Key, string Value)? EndpointOverride(SecretsManagerOptions options)
    {
        if (string.Equals(options.IgnoreConfiguredEndpointUrls?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(options.EndpointUrlSecretsManager))
        {
            return (SecretsManagerSettingKeys.AwsEndpointUrlSecretsManager, options.EndpointUrlSecretsManager.Trim());
        }

        if (!string.IsNullOrWhiteSpace(options.EndpointUrl))
        {
            return (SecretsManagerSettingKeys.AwsEndpointUrl, options.EndpointUrl.Trim());
        }

        return null;
    }

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

    private static string? FirstSet(params ReadOnlySpan<string?> values)
    {
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }
}
