using Microsoft.Extensions.Options;

namespace FingerprintProxy.Configuration;

public static class ConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ProxyOptions"/> from configuration, validates it when the host starts (all errors
    /// at once) and registers the <see cref="ProxySettingsStore"/> that requests read.
    /// </summary>
    public static IServiceCollection AddProxySettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddSingleton<ProxySettingsStore>();
        return services;
    }
}
