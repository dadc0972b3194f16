using Microsoft.Extensions.Configuration;

namespace FingerprintProxy.Configuration;

/// <summary>
/// The proxy's settings as read from configuration at start-up (environment variables,
/// <c>appsettings.json</c>, command line), by the <c>FPJS_*</c> names Fingerprint's guides use.
/// A null string means "not set": the default in <see cref="ProxySettings"/> applies.
/// </summary>
public sealed class ProxyOptions
{
    public const int DefaultMaxRequestBodyBytes = 1024 * 1024;

    [ConfigurationKeyName(SettingKeys.PreSharedSecret)]
    public string? PreSharedSecret { get; set; }

    [ConfigurationKeyName(SettingKeys.BehaviorPath)]
    public string? BehaviorPath { get; set; }

    [ConfigurationKeyName(SettingKeys.AgentDownloadPath)]
    public string? AgentDownloadPath { get; set; }

    [ConfigurationKeyName(SettingKeys.GetResultPath)]
    public string? GetResultPath { get; set; }

    [ConfigurationKeyName(SettingKeys.IngressBaseUrl)]
    public string? IngressBaseUrl { get; set; }

    [ConfigurationKeyName(SettingKeys.SecretName)]
    public string? SecretName { get; set; }

    [ConfigurationKeyName(SettingKeys.SecretRegion)]
    public string? SecretRegion { get; set; }

    /// <summary>
    /// Where the viewer's IP and host come from: <c>direct</c> (default: the connection and the Host
    /// header), <c>lambda-edge</c> (the edge function's headers; for a Function URL behind CloudFront OAC)
    /// or <c>cloudfront-origin</c> (the edge's headers or <c>CloudFront-Viewer-Address</c>, only on requests
    /// carrying a valid origin-verification header; for containers behind CloudFront).
    /// </summary>
    [ConfigurationKeyName(SettingKeys.ViewerContext)]
    public string ViewerContext { get; set; } = ViewerContextModes.Direct;

    /// <summary>The header CloudFront adds to prove a request came through the distribution. Default <c>x-origin-verify</c>.</summary>
    [ConfigurationKeyName(SettingKeys.OriginVerifyHeader)]
    public string OriginVerifyHeader { get; set; } = "x-origin-verify";

    /// <summary>The origin-verification value; when set, requests without it get 403. May come from Secrets Manager.</summary>
    [ConfigurationKeyName(SettingKeys.OriginVerifySecret)]
    public string? OriginVerifySecret { get; set; }

    /// <summary>The previous origin-verification value, still accepted during a rotation.</summary>
    [ConfigurationKeyName(SettingKeys.OriginVerifySecretPrevious)]
    public string? OriginVerifySecretPrevious { get; set; }

    /// <summary>Time allowed to open a connection to Fingerprint. Default 5 s.</summary>
    [ConfigurationKeyName("FPJS_CONNECT_TIMEOUT_SECONDS")]
    public double ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Time allowed for Fingerprint to start answering, and between two reads of its body.
    /// Default 20 s: below CloudFront's default 30 s origin response timeout, so the viewer gets our
    /// error rather than CloudFront's.
    /// </summary>
    [ConfigurationKeyName("FPJS_RESPONSE_TIMEOUT_SECONDS")]
    public double ResponseTimeoutSeconds { get; set; } = 20;

    /// <summary>Largest request body forwarded, in bytes. Default 1 MB, CloudFront's body limit for edge functions.</summary>
    [ConfigurationKeyName("FPJS_MAX_BODY_BYTES")]
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;
}

/// <summary>The values of <c>FPJS_VIEWER_CONTEXT</c>.</summary>
public static class ViewerContextModes
{
    public const string Direct = "direct";
    public const string LambdaEdge = "lambda-edge";
    public const string CloudFrontOrigin = "cloudfront-origin";
}
