using FingerprintProxy.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Secrets;

public static class SecretsManagerServiceCollectionExtensions
{
    /// <summary>
    /// When <c>FPJS_SECRET_NAME</c> is set, reads that AWS Secrets Manager secret at start-up and every
    /// <c>FPJS_SECRET_REFRESH_SECONDS</c> and lays its keys over the other settings (call after
    /// <see cref="ConfigurationServiceCollectionExtensions.AddProxySettings"/>). The source is registered as an
    /// <see cref="IRuntimeSettingsSource"/> for the status page and readiness. Without a secret name, nothing
    /// is registered.
    /// </summary>
    public static IServiceCollection AddSecretsManagerSettings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[SettingKeys.SecretName]))
        {
            return services;
        }

        services.AddOptions<SecretsManagerOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretsManagerOptions>, SecretsManagerOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAwsCredentialsProvider, AwsCredentialsProvider>();
        services.AddSingleton<SecretsManagerClient>();
        services.AddSingleton<SecretsManagerSettingsSource>();
        services.AddSingleton<IRuntimeSettingsSource>(sp => sp.GetRequiredService<SecretsManagerSettingsSource>());
        services.AddHostedService(sp => sp.GetRequiredService<SecretsManagerSettingsSource>());
        return services;
    }
}
