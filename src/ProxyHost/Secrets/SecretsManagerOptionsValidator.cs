using Microsoft.Extensions.Options;

namespace FingerprintProxy.Secrets;

/// <summary>
/// Checks the Secrets Manager settings when the host starts and reports every error at once. These are
/// configuration mistakes (no region, a bad endpoint URL, a refresh interval of zero), not transient
/// failures, so they stop the process; an unreadable or invalid secret does not (the source reports it).
/// </summary>
internal sealed class SecretsManagerOptionsValidator : IValidateOptions<SecretsManagerOptions>
{
    /// <summary>One day: a longer interval would leave a rotated secret out of force for too long.</summary>
    public const double MaxRefreshSeconds = 86_400;

    public const double MaxTimeoutSeconds = 60;

    public ValidateOptionsResult Validate(string? name, SecretsManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.SecretName))
        {
            return ValidateOptionsResult.Skip;
        }

        SecretsManagerTarget.TryResolve(options, out _, out var errors);
        if (!(options.RefreshSeconds >= 1 && options.RefreshSeconds <= MaxRefreshSeconds))
        {
            errors.Add($"{SecretsManagerSettingKeys.RefreshSeconds} must be a number of seconds between 1 and {MaxRefreshSeconds:0}.");
        }

        if (!(options.TimeoutSeconds > 0 && options.TimeoutSeconds <= MaxTimeoutSeconds))
        {
            errors.Add($"{SecretsManagerSettingKeys.TimeoutSeconds} must be a number of seconds above 0 and at most {MaxTimeoutSeconds:0}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
