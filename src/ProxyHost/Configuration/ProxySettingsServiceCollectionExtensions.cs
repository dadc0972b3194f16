using Microsoft.Extensions.Options;

namespace FingerprintProxy.Configuration;

internal static class ProxySettingsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ProxyOptions"/> from the root of configuration (the <c>FPJS_*</c> keys, whichever
    /// provider holds them: file, environment, command line, the Secrets Manager secret), validates them
    /// when the host starts, all errors at once, and registers the <see cref="ProxySettingsAccessor"/> that
    /// turns each change into the snapshot requests read.
    /// </summary>
    public static IServiceCollection AddProxySettings(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(string.Empty).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProxySettingsAccessor>();
        return services;
    }
}
