using FingerprintProxy.Configuration;
using FingerprintProxy.Health;
using FingerprintProxy.Proxy;
using FingerprintProxy.Secrets;
using FingerprintProxy.Viewer;

var app = Program.CreateApp(args);
await app.RunAsync();

/// <summary>The proxy host: Kestrel locally and in containers.</summary>
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
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapHealthEndpoints();
        app.MapFingerprintProxy();
        return app;
    }
}
