using FingerprintProxy.Configuration.AwsSecretsManager;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace FingerprintProxy.Configuration;

/// <summary>Where a setting's value comes from, read off the configuration providers themselves (the last one wins).</summary>
internal static class SettingSources
{
    /// <summary>
    /// The name of the provider that sets <paramref name="key"/>, or null when none does. An empty value counts
    /// only where empty means something (<paramref name="emptyIsAValue"/>: an empty integration path); elsewhere
    /// it is "not set".
    /// </summary>
    public static string? Find(IConfigurationRoot configuration, string key, bool emptyIsAValue = false)
    {
        var providers = configuration.Providers as IList<IConfigurationProvider> ?? [.. configuration.Providers];
        for (var i = providers.Count - 1; i >= 0; i--)
        {
            var provider = providers[i];
            if (provider is ChainedConfigurationProvider { Configuration: IConfigurationRoot inner })
            {
                if (Find(inner, key, emptyIsAValue) is { } found)
                {
                    return found;
                }

                continue;
            }

            if (provider.TryGet(key, out var value) && (emptyIsAValue ? value is not null : !string.IsNullOrEmpty(value)))
            {
                return Name(provider);
            }
        }

        return null;
    }

    private static string Name(IConfigurationProvider provider) => provider switch
    {
        SecretsManagerConfigurationProvider => "Secrets Manager",
        EnvironmentVariablesConfigurationProvider => "environment",
        CommandLineConfigurationProvider => "command line",
        JsonConfigurationProvider json => json.Source.Path ?? "JSON file",
        MemoryConfigurationProvider => "in-memory",
        _ => provider.GetType().Name,
    };
}
