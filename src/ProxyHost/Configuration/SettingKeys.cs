namespace FingerprintProxy.Configuration;

/// <summary>
/// The setting names, as Fingerprint's guides spell them. Each is read from ASP.NET Core configuration:
/// <c>appsettings.json</c>, environment variables, the command line and, for every proxy setting, the
/// Secrets Manager secret (<see cref="Catalog"/> says which).
/// </summary>
internal static class SettingKeys
{
    public const string PreSharedSecret = "FPJS_PRE_SHARED_SECRET";
    public const string BehaviorPath = "FPJS_BEHAVIOR_PATH";
    public const string AgentDownloadPath = "FPJS_AGENT_DOWNLOAD_PATH";
    public const string GetResultPath = "FPJS_GET_RESULT_PATH";
    public const string IngressBaseUrl = "FPJS_INGRESS_BASE_URL";
    public const string ViewerContext = "FPJS_VIEWER_CONTEXT";
    public const string OriginVerifyHeader = "FPJS_ORIGIN_VERIFY_HEADER";
    public const string OriginVerifySecret = "FPJS_ORIGIN_VERIFY_SECRET";
    public const string OriginVerifySecretPrevious = "FPJS_ORIGIN_VERIFY_SECRET_PREVIOUS";
    public const string ConnectTimeoutSeconds = "FPJS_CONNECT_TIMEOUT_SECONDS";
    public const string ResponseTimeoutSeconds = "FPJS_RESPONSE_TIMEOUT_SECONDS";
    public const string MaxBodyBytes = "FPJS_MAX_BODY_BYTES";
    public const string ShutdownDrainSeconds = "FPJS_SHUTDOWN_DRAIN_SECONDS";
    public const string SecretName = "FPJS_SECRET_NAME";
    public const string SecretRegion = "FPJS_SECRET_REGION";
    public const string SecretRefreshSeconds = "FPJS_SECRET_REFRESH_SECONDS";
    public const string SecretTimeoutSeconds = "FPJS_SECRET_TIMEOUT_SECONDS";

    /// <summary>
    /// Every setting, in the order the status page lists them. The proxy settings may come from the
    /// secret; the <c>FPJS_SECRET_*</c> ones say where the secret is and how to read it, so they cannot.
    /// </summary>
    public static readonly IReadOnlyList<SettingDescriptor> Catalog =
    [
        new(PreSharedSecret, SettingGroup.Required, IsSecret: true, Default: null),
        new(BehaviorPath, SettingGroup.Required, IsSecret: false, ProxyOptions.DefaultBehaviorPath),
        new(AgentDownloadPath, SettingGroup.Required, IsSecret: false, ProxyOptions.DefaultAgentDownloadPath),
        new(GetResultPath, SettingGroup.Required, IsSecret: false, ProxyOptions.DefaultGetResultPath),
        new(IngressBaseUrl, SettingGroup.Optional, IsSecret: false, ProxyOptions.DefaultIngressBaseUrl),
        new(ViewerContext, SettingGroup.Optional, IsSecret: false, ViewerContextModes.Direct),
        new(OriginVerifyHeader, SettingGroup.Optional, IsSecret: false, ProxyOptions.DefaultOriginVerifyHeader),
        new(OriginVerifySecret, SettingGroup.Optional, IsSecret: true, Default: null),
        new(OriginVerifySecretPrevious, SettingGroup.Optional, IsSecret: true, Default: null),
        new(ConnectTimeoutSeconds, SettingGroup.Optional, IsSecret: false, "5"),
        new(ResponseTimeoutSeconds, SettingGroup.Optional, IsSecret: false, "20"),
        new(MaxBodyBytes, SettingGroup.Optional, IsSecret: false, "1048576"),
        new(ShutdownDrainSeconds, SettingGroup.Optional, IsSecret: false, "5 (0 on Lambda)"),
        new(Telemetry.TelemetryOptions.LogFormatKey, SettingGroup.Optional, IsSecret: false, "json on Lambda, text elsewhere", FromSecret: false),
        new(Telemetry.TelemetryOptions.AccessLogKey, SettingGroup.Optional, IsSecret: false, "false", FromSecret: false),
        new(Telemetry.TelemetryOptions.EmfKey, SettingGroup.Optional, IsSecret: false, "true on Lambda, false elsewhere", FromSecret: false),
        new(Telemetry.TelemetryOptions.NamespaceKey, SettingGroup.Optional, IsSecret: false, "FingerprintProxy", FromSecret: false),
        new(SecretName, SettingGroup.Optional, IsSecret: false, Default: null, FromSecret: false),
        new(SecretRegion, SettingGroup.Optional, IsSecret: false, Default: null, FromSecret: false),
        new(SecretRefreshSeconds, SettingGroup.Optional, IsSecret: false, "300", FromSecret: false),
        new(SecretTimeoutSeconds, SettingGroup.Optional, IsSecret: false, "5", FromSecret: false),
    ];

    /// <summary>True for a proxy setting that the secret may set (case-insensitive, as configuration keys are).</summary>
    public static bool IsSettableFromSecret(string key)
    {
        foreach (var setting in Catalog)
        {
            if (setting.FromSecret && string.Equals(setting.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>How the status page groups a setting.</summary>
internal enum SettingGroup
{
    /// <summary>Every deployment sets it (or relies on its default) for Fingerprint to trust and find the proxy.</summary>
    Required,

    /// <summary>Tuning and hosting choices; not setting it is normal.</summary>
    Optional,
}

/// <summary>One setting: its name, group, whether its value is secret (never shown), its default, and whether the secret may set it.</summary>
internal sealed record SettingDescriptor(string Key, SettingGroup Group, bool IsSecret, string? Default, bool FromSecret = true);
