using FingerprintProxy.Configuration.AwsSecretsManager;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds an AWS Secrets Manager secret to configuration.</summary>
public static class SecretsManagerConfigurationExtensions
{
    /// <summary>
    /// Adds the secret described by <paramref name="configure"/> as a configuration source. Sources added later
    /// win, so add it last for the secret to override files and environment variables.
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="configure">Sets at least <see cref="SecretsManagerConfigurationSource.SecretId"/>.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddSecretsManager(this IConfigurationBuilder builder, Action<SecretsManagerConfigurationSource> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var source = new SecretsManagerConfigurationSource();
        configure(source);
        return builder.Add(source);
    }
}
