using System.Buffers;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Configuration;

/// <summary>
/// Every rule on the proxy's settings, written once. It checks the options whole and reports every error
/// at once, each naming its setting and never quoting a secret. It runs at start-up (a bad setting stops
/// the process with the complete message) and on every configuration change (a bad change is refused and
/// the settings in force stay; <see cref="ProxySettingsAccessor"/>).
/// </summary>
internal sealed class ProxyOptionsValidator(IConfiguration configuration) : IValidateOptions<ProxyOptions>
{
    /// <summary>The status page's path segment under the integration path.</summary>
    public const string StatusPath = "status";

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var errors = new List<string>();
        if (options.BehaviorPath is { Length: > 0 } && !IsToken(options.BehaviorPath))
        {
            errors.Add($"{SettingKeys.BehaviorPath} must be empty or made of letters, digits, '_' and '-' only (one path segment, no '/').");
        }

        if (options.AgentDownloadPath is not null && !IsToken(options.AgentDownloadPath))
        {
            errors.Add($"{SettingKeys.AgentDownloadPath} must be made of letters, digits, '_' and '-' only.");
        }

        if (options.GetResultPath is not null && !IsToken(options.GetResultPath))
        {
            errors.Add($"{SettingKeys.GetResultPath} must be made of letters, digits, '_' and '-' only.");
        }

        var agent = options.AgentDownloadPath ?? ProxyOptions.DefaultAgentDownloadPath;
        var result = options.GetResultPath ?? ProxyOptions.DefaultGetResultPath;
        if (agent == result)
        {
            errors.Add($"{SettingKeys.AgentDownloadPath} and {SettingKeys.GetResultPath} must differ.");
        }

        if (agent == StatusPath || result == StatusPath)
        {
            errors.Add($"{SettingKeys.AgentDownloadPath} and {SettingKeys.GetResultPath} cannot be '{StatusPath}': that path is the status page.");
        }

        if (options.IngressBaseUrl is not null && !IngressEndpoints.TryParse(options.IngressBaseUrl, out _, out var ingressError))
        {
            errors.Add($"{SettingKeys.IngressBaseUrl} {ingressError}.");
        }

        foreach (var (key, value) in new[]
                 {
                     (SettingKeys.PreSharedSecret, options.PreSharedSecret),
                     (SettingKeys.OriginVerifySecret, options.OriginVerifySecret),
                     (SettingKeys.OriginVerifySecretPrevious, options.OriginVerifySecretPrevious),
                 })
        {
            if (value is not null && !IsHeaderSafe(value))
            {
                // Never the value itself: it is a secret.
                errors.Add($"{key} must be printable ASCII without leading or trailing spaces: it is sent or compared as an HTTP header value.");
            }
        }

        if (options.ViewerContext is not (ViewerContextModes.Direct or ViewerContextModes.LambdaEdge or ViewerContextModes.CloudFrontOrigin))
        {
            errors.Add($"{SettingKeys.ViewerContext} must be one of: direct, lambda-edge, cloudfront-origin.");
        }

        if (!IsToken(options.OriginVerifyHeader))
        {
            errors.Add($"{SettingKeys.OriginVerifyHeader} must be a header name (letters, digits, '_' and '-').");
        }

        if (RequiresOriginVerification(options, configuration)
            && string.IsNullOrEmpty(options.OriginVerifySecret) && string.IsNullOrEmpty(configuration[SettingKeys.SecretName]))
        {
            errors.Add(options.ViewerContext == ViewerContextModes.CloudFrontOrigin
                ? $"{SettingKeys.ViewerContext}=cloudfront-origin needs {SettingKeys.OriginVerifySecret} (or a Secrets Manager secret that holds it): without it any client could claim any viewer IP."
                : $"{SettingKeys.ViewerContext}=lambda-edge outside AWS Lambda needs {SettingKeys.OriginVerifySecret} (or a Secrets Manager secret that holds it): without it any client that reaches the port could claim any viewer IP and host. On Lambda the Function URL's IAM authorization is the lock.");
        }

        if (!(options.ConnectTimeoutSeconds > 0 && options.ConnectTimeoutSeconds <= 300))
        {
            errors.Add($"{SettingKeys.ConnectTimeoutSeconds} must be a number of seconds above 0 and at most 300.");
        }

        if (!(options.ResponseTimeoutSeconds > 0 && options.ResponseTimeoutSeconds <= 900))
        {
            errors.Add($"{SettingKeys.ResponseTimeoutSeconds} must be a number of seconds above 0 and at most 900.");
        }

        if (options.ShutdownDrainSeconds is { } drain && !(drain >= 0 && drain <= 60))
        {
            errors.Add($"{SettingKeys.ShutdownDrainSeconds} must be a number of seconds from 0 to 60.");
        }

        if (options.MaxRequestBodyBytes is < 1 or > 100 * 1024 * 1024)
        {
            errors.Add($"{SettingKeys.MaxBodyBytes} must be between 1 and 104857600 bytes.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// True when requests must carry the origin-verification header, and are refused while no value is in
    /// force (fail closed): the viewer context trusts headers that only the edge may set. On Lambda the
    /// Function URL's IAM authorization already proves the request came through CloudFront.
    /// </summary>
    public static bool RequiresOriginVerification(ProxyOptions options, IConfiguration configuration) =>
        options.ViewerContext == ViewerContextModes.CloudFrontOrigin
        || (options.ViewerContext == ViewerContextModes.LambdaEdge && !IsLambda(configuration));

    /// <summary>True inside AWS Lambda, which sets <c>AWS_LAMBDA_RUNTIME_API</c> for every runtime.</summary>
    public static bool IsLambda(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["AWS_LAMBDA_RUNTIME_API"]);

    /// <summary>Printable ASCII without leading or trailing spaces; empty is allowed (it means "not set").</summary>
    internal static bool IsHeaderSafe(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return value.Length == 0 || (value[0] != ' ' && value[^1] != ' ');
    }

    internal static bool IsToken(ReadOnlySpan<char> value) =>
        value.Length > 0 && !value.ContainsAnyExcept(TokenChars);
}
