using FingerprintProxy.Hosting.AwsLambda;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs an ASP.NET Core application as an AWS Lambda function behind a Function URL.</summary>
public static class LambdaHostingServiceCollectionExtensions
{
    /// <summary>
    /// Runs the application on the Lambda Runtime API when <c>AWS_LAMBDA_RUNTIME_API</c> is set in
    /// <paramref name="configuration"/> (Lambda sets that environment variable for every runtime, and
    /// environment variables are configuration): Kestrel is replaced by a server that takes Function URL
    /// events (payload format 2.0) from the Runtime API and answers them. Anywhere else this does nothing
    /// and Kestrel serves as usual, so one build runs locally, in containers and on Lambda.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">The application's configuration, environment variables included.</param>
    /// <param name="configure">Adjusts <see cref="LambdaHostingOptions"/>; not called outside Lambda.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddAWSLambdaHosting(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<LambdaHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var runtimeApi = configuration[LambdaRuntimeApiClient.RuntimeApiKey];
        if (string.IsNullOrEmpty(runtimeApi))
        {
            return services;
        }

        var options = services.AddOptions<LambdaHostingOptions>()
            .Validate(o => o.DeadlineMargin >= TimeSpan.Zero, nameof(LambdaHostingOptions.DeadlineMargin) + " must not be negative.");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAll<IServer>();
        services.AddSingleton<IServer>(sp => new LambdaRuntimeServer(
            runtimeApi,
            sp.GetRequiredService<IOptions<LambdaHostingOptions>>(),
            sp.GetRequiredService<IOptions<KestrelServerOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp,
            sp.GetRequiredService<ILogger<LambdaRuntimeServer>>()));
        return services;
    }
}
