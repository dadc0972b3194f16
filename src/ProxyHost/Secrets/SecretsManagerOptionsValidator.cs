using System.Buffers;
using FingerprintProxy.Configuration;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Secrets;

/// <summary>
/// Checks the Secrets Manager settings and reports every error at once. These are configuration mistakes
/// (a bad region, a refresh interval of zero), not transient failures, so they stop the process; an
/// unreadable or invalid secret does not (the status page and <c>/readyz</c> report it).
/// </summary>
internal sealed class SecretsManagerOptionsValidator : IValidateOptions<SecretsManagerOptions>
{
    /// <summary>One day: a longer interval would leave a rotated secret out of force for too long.</summary>
    public const double MaxRefreshSeconds = 86_400;

    public const double MaxTimeoutSeconds = 60;

    private static readonly SearchValues<char> RegionChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    public ValidateOptionsResult Validate(string? name, SecretsManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.SecretName))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        if (options.SecretName.Length > 2048)
        {
            errors.Add($"{SettingKeys.SecretName} is longer than 2048 characters, the limit of a secret ARN.");
        }

        if (options.SecretRegion is { Length: > 0 } region && !IsRegionName(region))
        {
            errors.Add($"{SettingKeys.SecretRegion} must be a region name such as eu-west-1.");
        }

        if (!(options.RefreshSeconds >= 1 && options.RefreshSeconds <= MaxRefreshSeconds))
        {
            errors.Add($"{SettingKeys.SecretRefreshSeconds} must be a number of seconds between 1 and {MaxRefreshSeconds:0}.");
        }

        if (!(options.TimeoutSeconds > 0 && options.TimeoutSeconds <= MaxTimeoutSeconds))
        {
            errors.Add($"{SettingKeys.SecretTimeoutSeconds} must be a number of seconds above 0 and at most {MaxTimeoutSeconds:0}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static bool IsRegionName(ReadOnlySpan<char> value) =>
        value.Length is > 0 and <= 40 && char.IsAsciiLetterLower(value[0]) && !value.ContainsAnyExcept(RegionChars);
}
