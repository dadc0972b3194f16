using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Configuration;

/// <summary>
/// Holds the <see cref="ProxySettings"/> in force. Start-up configuration is the base layer; a runtime
/// source (the Secrets Manager secret) may lay overrides on top of it at any time. Readers take
/// <see cref="Current"/> without locking: a change builds a complete new snapshot and publishes it with
/// one reference write.
/// </summary>
public sealed class ProxySettingsStore
{
    private readonly IReadOnlyDictionary<string, SettingSource> _baseSources;
    private readonly ProxyOptions _base;
    private readonly Lock _writeLock = new();
    private ProxySettings _current;

    public ProxySettingsStore(IOptions<ProxyOptions> options, IConfiguration configuration)
    {
        _base = options.Value;
        _baseSources = DetectSources(configuration);
        _current = Build(_base, overrides: null, SettingSource.Default);
    }

    /// <summary>The settings every request uses. Never null; replaced whole on change.</summary>
    public ProxySettings Current => Volatile.Read(ref _current);

    /// <summary>
    /// Lays a runtime source's values over the start-up configuration. The values are checked as a
    /// whole: when any is invalid nothing changes and the errors are returned (each naming its key).
    /// Keys are matched case-insensitively; keys that are not proxy settings are ignored.
    /// </summary>
    /// <returns>An empty list when the values are in force.</returns>
    public IReadOnlyList<string> TryApplyOverrides(IReadOnlyDictionary<string, string> values, SettingSource source)
    {
        ArgumentNullException.ThrowIfNull(values);
        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            foreach (var known in SettingKeys.Overridable)
            {
                if (string.Equals(key, known, StringComparison.OrdinalIgnoreCase))
                {
                    overrides[known] = value;
                }
            }
        }

        var errors = ProxyOptionsValidator.ValidateRouting(
            Pick(overrides, SettingKeys.BehaviorPath, _base.BehaviorPath),
            Pick(overrides, SettingKeys.AgentDownloadPath, _base.AgentDownloadPath),
            Pick(overrides, SettingKeys.GetResultPath, _base.GetResultPath),
            Pick(overrides, SettingKeys.IngressBaseUrl, _base.IngressBaseUrl));
        if (errors.Count > 0)
        {
            return errors;
        }

        var next = Build(_base, overrides, source);
        lock (_writeLock)
        {
            Volatile.Write(ref _current, next);
        }

        return [];
    }

    private ProxySettings Build(ProxyOptions options, Dictionary<string, string>? overrides, SettingSource overrideSource)
    {
        var sources = new Dictionary<string, SettingSource>(_baseSources, StringComparer.OrdinalIgnoreCase);
        if (overrides is not null)
        {
            foreach (var key in overrides.Keys)
            {
                sources[key] = overrideSource;
            }
        }

        var secret = Pick(overrides, SettingKeys.PreSharedSecret, options.PreSharedSecret);
        var verify = new List<string>(2);
        foreach (var value in new[]
                 {
                     Pick(overrides, SettingKeys.OriginVerifySecret, options.OriginVerifySecret),
                     Pick(overrides, SettingKeys.OriginVerifySecretPrevious, options.OriginVerifySecretPrevious),
                 })
        {
            if (!string.IsNullOrEmpty(value))
            {
                verify.Add(value);
            }
        }

        return new ProxySettings
        {
            PreSharedSecret = string.IsNullOrEmpty(secret) ? null : secret,
            BehaviorPath = Pick(overrides, SettingKeys.BehaviorPath, options.BehaviorPath) ?? ProxySettings.DefaultBehaviorPath,
            AgentDownloadPath = Pick(overrides, SettingKeys.AgentDownloadPath, options.AgentDownloadPath) ?? ProxySettings.DefaultAgentDownloadPath,
            GetResultPath = Pick(overrides, SettingKeys.GetResultPath, options.GetResultPath) ?? ProxySettings.DefaultGetResultPath,
            Ingress = IngressEndpoints.Parse(Pick(overrides, SettingKeys.IngressBaseUrl, options.IngressBaseUrl) ?? ProxySettings.DefaultIngressBaseUrl),
            OriginVerifySecrets = verify,
            Sources = sources,
        };
    }

    private static string? Pick(Dictionary<string, string>? overrides, string key, string? fallback) =>
        overrides is not null && overrides.TryGetValue(key, out var value) ? value : fallback;

    /// <summary>For each known setting, the highest-priority configuration provider that sets it.</summary>
    private static Dictionary<string, SettingSource> DetectSources(IConfiguration configuration)
    {
        var sources = new Dictionary<string, SettingSource>(StringComparer.OrdinalIgnoreCase);
        if (configuration is not IConfigurationRoot root)
        {
            return sources;
        }

        string[] keys =
        [
            SettingKeys.PreSharedSecret, SettingKeys.BehaviorPath, SettingKeys.AgentDownloadPath, SettingKeys.GetResultPath,
            SettingKeys.IngressBaseUrl, SettingKeys.SecretName, SettingKeys.SecretRegion, SettingKeys.ViewerContext,
            SettingKeys.OriginVerifyHeader, SettingKeys.OriginVerifySecret, SettingKeys.OriginVerifySecretPrevious,
        ];
        var providers = root.Providers.ToArray();
        foreach (var key in keys)
        {
            // Later providers win, as in IConfiguration itself.
            for (var i = providers.Length - 1; i >= 0; i--)
            {
                if (providers[i].TryGet(key, out _))
                {
                    sources[key] = providers[i] switch
                    {
                        EnvironmentVariablesConfigurationProvider => SettingSource.Environment,
                        JsonConfigurationProvider => SettingSource.File,
                        CommandLineConfigurationProvider => SettingSource.CommandLine,
                        _ => SettingSource.Other,
                    };
                    break;
                }
            }
        }

        return sources;
    }
}
