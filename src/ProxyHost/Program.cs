using FingerprintProxy.Configuration;
using FingerprintProxy.Health;
using FingerprintProxy.Lambda;
using FingerprintProxy.Proxy;
using FingerprintProxy.Secrets;
using FingerprintProxy.Viewer;

WebApplication? app = null;
try
{
    app = Program.CreateApp(args);
    await app.RunAsync();
}
catch (Exception exception) when (LambdaStartupFailure.IsLambda(app?.Configuration))
{
    // Lambda only: a failed start-up (e.g. an invalid setting) goes to the Runtime API's /init/error, so the
    // invocation fails with the reason rather than a bare "Runtime exited", and the process exits non-zero.
    await LambdaStartupFailure.ReportAsync(app?.Configuration, exception);
    return 1;
}

return 0;

/// <summary>The proxy host: Kestrel locally and in containers, the Lambda Runtime API on AWS Lambda.</summary>
public partial class Program
{
    /// <summary>
    /// Builds the proxy application. <paramref name="args"/> are command-line configuration
    /// (<c>--FPJS_BEHAVIOR_PATH=x</c>); <paramref name="configure"/> lets tests and benchmarks adjust
    /// services before the app is built.
    /// </summary>
    public static WebApplication CreateApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json is copied next to the binary: the same file is read by dotnet run,
            // the container and Lambda, whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Services.AddProxySettings(builder.Configuration);
        builder.Services.AddSecretsManagerSettings(builder.Configuration);
        builder.Services.AddViewerContext(builder.Configuration);
        builder.Services.AddFingerprintProxy();
        builder.Services.AddLambdaFunctionUrlHosting(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapHealthEndpoints();
        app.MapFingerprintProxy();
        return app;
    }
}
