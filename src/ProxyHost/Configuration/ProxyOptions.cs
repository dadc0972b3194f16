using Microsoft.Extensions.Configuration;

namespace FingerprintProxy.Configuration;

/// <summary>
/// The proxy's settings, bound from configuration by the <c>FPJS_*</c> names Fingerprint's guides use.
/// Every one of them may come from the Secrets Manager secret, and may change while the proxy runs:
/// requests read them through <see cref="ProxySettingsAccessor"/>, never from here. A null string means
/// "not set": the default applies.
/// </summary>
internal sealed class ProxyOptions
{
    public const string DefaultBehaviorPath = "fpjs";
    public const string DefaultAgentDownloadPath = "agent";
    public const string DefaultGetResultPath = "result";
    public const string DefaultIngressBaseUrl = "https://api.fpjs.io";
    public const string DefaultOriginVerifyHeader = "x-origin-verify";
    public const int DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The proxy secret from the Fingerprint dashboard, sent as <c>FPJS-Proxy-Secret</c>; none by default.</summary>
    [ConfigurationKeyName(SettingKeys.PreSharedSecret)]
    public string? PreSharedSecret { get; set; }

    /// <summary>The integration path: the first path segment (<c>fpjs</c>), or empty when the proxy owns its host.</summary>
    [ConfigurationKeyName(SettingKeys.BehaviorPath)]
    public string? BehaviorPath { get; set; }

    /// <summary>The agent download route under the integration path (<c>agent</c>).</summary>
    [ConfigurationKeyName(SettingKeys.AgentDownloadPath)]
    public string? AgentDownloadPath { get; set; }

    /// <summary>The identification route under the integration path (<c>result</c>).</summary>
    [ConfigurationKeyName(SettingKeys.GetResultPath)]
    public string? GetResultPath { get; set; }

    /// <summary>Scheme and host of Fingerprint's API (<c>https://api.fpjs.io</c>); region prefixes go in front of the host.</summary>
    [ConfigurationKeyName(SettingKeys.IngressBaseUrl)]
    public string? IngressBaseUrl { get; set; }

    /// <summary>
    /// Where the viewer's IP and host come from: <c>direct</c> (default: the connection and the Host
    /// header), <c>lambda-edge</c> (the edge function's headers; for a Function URL behind CloudFront OAC)
    /// or <c>cloudfront-origin</c> (the edge's headers or <c>CloudFront-Viewer-Address</c>, only on requests
    /// carrying a valid origin-verification header; for containers behind CloudFront).
    /// </summary>
    [ConfigurationKeyName(SettingKeys.ViewerContext)]
    public string ViewerContext { get; set; } = ViewerContextModes.Direct;

    /// <summary>The header CloudFront adds to prove a request came through the distribution.</summary>
    [ConfigurationKeyName(SettingKeys.OriginVerifyHeader)]
    public string OriginVerifyHeader { get; set; } = DefaultOriginVerifyHeader;

    /// <summary>The origin-verification value; when set, requests without it get 403.</summary>
    [ConfigurationKeyName(SettingKeys.OriginVerifySecret)]
    public string? OriginVerifySecret { get; set; }

    /// <summary>The previous origin-verification value, still accepted during a rotation.</summary>
    [ConfigurationKeyName(SettingKeys.OriginVerifySecretPrevious)]
    public string? OriginVerifySecretPrevious { get; set; }

    /// <summary>Time allowed to open a connection to Fingerprint. Default 5 s.</summary>
    [ConfigurationKeyName(SettingKeys.ConnectTimeoutSeconds)]
    public double ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Time allowed for Fingerprint to start answering, and between two reads of its body.
    /// Default 20 s: below CloudFront's default 30 s origin response timeout, so the viewer gets our
    /// error rather than CloudFront's.
    /// </summary>
    [ConfigurationKeyName(SettingKeys.ResponseTimeoutSeconds)]
    public double ResponseTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Seconds between the stop signal and the server refusing new connections, while readiness says 503.
    /// Default 5 in a container (so a load balancer stops sending first), 0 on AWS Lambda.
    /// </summary>
    [ConfigurationKeyName(SettingKeys.ShutdownDrainSeconds)]
    public double? ShutdownDrainSeconds { get; set; }

    /// <summary>Largest request body forwarded, in bytes. Default 1 MB, CloudFront's body limit for edge functions.</summary>
    [ConfigurationKeyName(SettingKeys.MaxBodyBytes)]
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;
}

/// <summary>The values of <c>FPJS_VIEWER_CONTEXT</c>.</summary>
internal static class ViewerContextModes
{
    public const string Direct = "direct";
    public const string LambdaEdge = "lambda-edge";
    public const string CloudFrontOrigin = "cloudfront-origin";
}
