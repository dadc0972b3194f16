using System.Text.Json;
using System.Text.Json.Serialization;

namespace FingerprintProxy.Status;

/// <summary>What the status page shows. Built per request from the settings in force; never holds a secret value.</summary>
internal sealed record StatusReport(
    string Name,
    string Version,
    IntegrationReport Integration,
    string ViewerContext,
    OriginVerificationReport OriginVerification,
    DateTimeOffset SettingsAppliedAt,
    IReadOnlyList<SettingReport> Settings,
    SecretStoreReport SecretStore,
    IReadOnlyList<string> Warnings);

/// <summary>Whether requests must carry the origin-verification header, its name, and how many values are accepted (never the values).</summary>
internal sealed record OriginVerificationReport(bool Enabled, string Header, int AcceptedValues);

/// <summary>The exact name and version sent to Fingerprint in <c>ii</c>.</summary>
internal sealed record IntegrationReport(string Name, string Version, string Ii);

/// <summary>
/// One setting: its group (required, optional), whether it is set, its state (set, default, missing for a
/// required setting, not set for an optional one), the configuration source that set it, and its value in
/// force unless it is secret.
/// </summary>
internal sealed record SettingReport(string Name, string Group, bool IsSet, string State, string Source, string? Value);

/// <summary>The Secrets Manager secret, if one is configured: what is read and how its last reads went (never a value).</summary>
internal sealed record SecretStoreReport(
    bool Enabled,
    string? Name = null,
    string? Target = null,
    bool Loaded = false,
    DateTimeOffset? LastRefresh = null,
    DateTimeOffset? LastAttempt = null,
    string? LastError = null,
    DateTimeOffset? LastErrorAt = null,
    string? VersionId = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
