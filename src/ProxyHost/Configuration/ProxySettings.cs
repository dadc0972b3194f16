namespace FingerprintProxy.Configuration;

/// <summary>
/// One immutable snapshot of the proxy's routing settings. Every request reads the snapshot in force
/// (<see cref="ProxySettingsStore.Current"/>); a change builds a new snapshot and swaps it in whole.
/// </summary>
public sealed record ProxySettings
{
    public const string DefaultBehaviorPath = "fpjs";
    public const string DefaultAgentDownloadPath = "agent";
    public const string DefaultGetResultPath = "result";
    public const string DefaultIngressBaseUrl = "https://api.fpjs.io";

    /// <summary>The proxy secret from the Fingerprint dashboard; null when none is configured.</summary>
    public string? PreSharedSecret { get; init; }

    /// <summary>The origin-verification values in force (current, then previous); empty when verification is off.</summary>
    public IReadOnlyList<string> OriginVerifySecrets { get; init; } = [];

    /// <summary>The integration path: the first path segment, or empty when the proxy owns its host.</summary>
    public string BehaviorPath { get; init; } = DefaultBehaviorPath;

    public string AgentDownloadPath { get; init; } = DefaultAgentDownloadPath;

    public string GetResultPath { get; init; } = DefaultGetResultPath;

    /// <summary>The three hosts the proxy may contact, derived from <c>FPJS_INGRESS_BASE_URL</c>.</summary>
    public IngressEndpoints Ingress { get; init; } = IngressEndpoints.Parse(DefaultIngressBaseUrl);

    /// <summary>"/B/" (or "/" when the behavior path is empty): every routed path starts with it.</summary>
    public string PathPrefix => BehaviorPath.Length == 0 ? "/" : "/" + BehaviorPath + "/";

    /// <summary>Where each setting's value came from, by setting name.</summary>
    public IReadOnlyDictionary<string, SettingSource> Sources { get; init; } =
        new Dictionary<string, SettingSource>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The source of one setting (Default when it is not set anywhere).</summary>
    public SettingSource SourceOf(string key) =>
        Sources.TryGetValue(key, out var source) ? source : SettingSource.Default;
}
