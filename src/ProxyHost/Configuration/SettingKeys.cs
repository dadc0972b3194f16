namespace FingerprintProxy.Configuration;

/// <summary>
/// The setting names, as Fingerprint's guides spell them. They are read from environment variables,
/// <c>appsettings.json</c>, the command line and (for the first five) the Secrets Manager secret.
/// </summary>
public static class SettingKeys
{
    public const string PreSharedSecret = "FPJS_PRE_SHARED_SECRET";
    public const string BehaviorPath = "FPJS_BEHAVIOR_PATH";
    public const string AgentDownloadPath = "FPJS_AGENT_DOWNLOAD_PATH";
    public const string GetResultPath = "FPJS_GET_RESULT_PATH";
    public const string IngressBaseUrl = "FPJS_INGRESS_BASE_URL";
    public const string SecretName = "FPJS_SECRET_NAME";
    public const string SecretRegion = "FPJS_SECRET_REGION";
    public const string ViewerContext = "FPJS_VIEWER_CONTEXT";
    public const string OriginVerifyHeader = "FPJS_ORIGIN_VERIFY_HEADER";
    public const string OriginVerifySecret = "FPJS_ORIGIN_VERIFY_SECRET";
    public const string OriginVerifySecretPrevious = "FPJS_ORIGIN_VERIFY_SECRET_PREVIOUS";

    /// <summary>The settings a runtime source (the Secrets Manager secret) may override.</summary>
    public static readonly IReadOnlyList<string> Overridable =
        [PreSharedSecret, BehaviorPath, AgentDownloadPath, GetResultPath, IngressBaseUrl, OriginVerifySecret, OriginVerifySecretPrevious];
}
