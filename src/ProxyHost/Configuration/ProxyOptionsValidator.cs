using System.Buffers;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Configuration;

/// <summary>
/// Checks every setting and reports all errors at once, each naming its setting, so a bad
/// configuration stops the process at start-up with one complete message.
/// </summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var errors = ValidateRouting(options.BehaviorPath, options.AgentDownloadPath, options.GetResultPath, options.IngressBaseUrl);
        if (!(options.ConnectTimeoutSeconds > 0 && options.ConnectTimeoutSeconds <= 300))
        {
            errors.Add("FPJS_CONNECT_TIMEOUT_SECONDS must be a number of seconds between 0 and 300.");
        }

        if (!(options.ResponseTimeoutSeconds > 0 && options.ResponseTimeoutSeconds <= 900))
        {
            errors.Add("FPJS_RESPONSE_TIMEOUT_SECONDS must be a number of seconds between 0 and 900.");
        }

        foreach (var (key, value) in new[]
                 {
                     (HeaderValueKeys[0], options.PreSharedSecret),
                     (HeaderValueKeys[1], options.OriginVerifySecret),
                     (HeaderValueKeys[2], options.OriginVerifySecretPrevious),
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

        if (options.ViewerContext == ViewerContextModes.CloudFrontOrigin
            && string.IsNullOrEmpty(options.OriginVerifySecret) && string.IsNullOrEmpty(options.SecretName))
        {
            errors.Add($"{SettingKeys.ViewerContext}=cloudfront-origin needs {SettingKeys.OriginVerifySecret} (or a Secrets Manager secret that holds it): without it any client could claim any viewer IP.");
        }

        if (options.MaxRequestBodyBytes is < 1 or > 100 * 1024 * 1024)
        {
            errors.Add("FPJS_MAX_BODY_BYTES must be between 1 and 104857600 bytes.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// The checks shared by start-up and by a runtime source (a Secrets Manager secret is rejected whole
    /// when any of them fails). Null means "not set", which is always valid.
    /// </summary>
    public static List<string> ValidateRouting(string? behaviorPath, string? agentPath, string? resultPath, string? ingressBaseUrl)
    {
        var errors = new List<string>();
        if (behaviorPath is { Length: > 0 } && !IsToken(behaviorPath))
        {
            errors.Add($"{SettingKeys.BehaviorPath} must be empty or made of letters, digits, '_' and '-' only (one path segment, no '/').");
        }

        if (agentPath is not null && !IsToken(agentPath))
        {
            errors.Add($"{SettingKeys.AgentDownloadPath} must be made of letters, digits, '_' and '-' only.");
        }

        if (resultPath is not null && !IsToken(resultPath))
        {
            errors.Add($"{SettingKeys.GetResultPath} must be made of letters, digits, '_' and '-' only.");
        }

        var agent = agentPath ?? ProxySettings.DefaultAgentDownloadPath;
        var result = resultPath ?? ProxySettings.DefaultGetResultPath;
        if (agent == result)
        {
            errors.Add($"{SettingKeys.AgentDownloadPath} and {SettingKeys.GetResultPath} must differ.");
        }

        if (agent == StatusPath || result == StatusPath)
        {
            errors.Add($"{SettingKeys.AgentDownloadPath} and {SettingKeys.GetResultPath} cannot be '{StatusPath}': that path is the status page.");
        }

        if (ingressBaseUrl is not null && !IngressEndpoints.TryParse(ingressBaseUrl, out _, out var ingressError))
        {
            errors.Add($"{SettingKeys.IngressBaseUrl} {ingressError}.");
        }

        return errors;
    }

    /// <summary>The status page's path segment under the integration path.</summary>
    public const string StatusPath = "status";

    /// <summary>The settings whose values travel in HTTP headers (and so must be printable ASCII).</summary>
    public static readonly IReadOnlyList<string> HeaderValueKeys =
        [SettingKeys.PreSharedSecret, SettingKeys.OriginVerifySecret, SettingKeys.OriginVerifySecretPrevious];

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
