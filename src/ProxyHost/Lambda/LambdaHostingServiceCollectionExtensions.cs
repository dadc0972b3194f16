using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FingerprintProxy.Lambda;

public static class LambdaHostingServiceCollectionExtensions
{
    /// <summary>
    /// Runs the application as an AWS Lambda function behind a Function URL when the process is inside
    /// Lambda (<c>AWS_LAMBDA_RUNTIME_API</c> is set, as Lambda does for every runtime): Kestrel is replaced
    /// by a server that takes requests from the Lambda Runtime API. Anywhere else this does nothing and
    /// Kestrel serves as usual, so one build runs locally, in containers and on Lambda.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">Configuration that includes environment variables (and, in tests, the command line).</param>
    public static IServiceCollection AddLambdaFunctionUrlHosting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var runtimeApi = configuration[LambdaRuntimeApiClient.RuntimeApiKey];
        if (string.IsNullOrEmpty(runtimeApi))
        {
            return services;
        }

        services.AddSingleton(new LambdaHostingOptions { RuntimeApi = runtimeApi });
        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAll<IServer>();
        services.AddSingleton<IServer, LambdaRuntimeServer>();
        return services;
    }
}
