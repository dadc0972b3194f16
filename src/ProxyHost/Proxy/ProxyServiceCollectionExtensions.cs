namespace FingerprintProxy.Proxy;

public static class ProxyServiceCollectionExtensions
{
    public static IServiceCollection AddFingerprintProxy(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        return services;
    }

    public static IEndpointRouteBuilder MapFingerprintProxy(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
