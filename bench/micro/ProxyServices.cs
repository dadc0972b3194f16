using FingerprintProxy.Configuration;
using FingerprintProxy.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FingerprintProxy.Benchmarks;

/// <summary>The proxy's own services with the benchmark settings (ingress on loopback, a proxy secret), no host.</summary>
internal static class ProxyServices
{
    public static ServiceProvider Create() => Collection().BuildServiceProvider();

    /// <summary>The services of <see cref="Create"/>, not built yet, for a benchmark that adds its own.</summary>
    public static IServiceCollection Collection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("FPJS_INGRESS_BASE_URL", "http://localhost:18080"),
            new("FPJS_PRE_SHARED_SECRET", "bench-proxy-secret"),
        ]).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddFingerprintProxy();
    }

    public static ProxySettings Settings(this IServiceProvider services) => services.GetRequiredService<ProxySettingsAccessor>().Current;
}
