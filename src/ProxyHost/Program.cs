using FingerprintProxy.Health;
using FingerprintProxy.Hosting.AwsLambda;
using FingerprintProxy.Proxy;
using FingerprintProxy.Secrets;
using FingerprintProxy.Telemetry;

IConfiguration? configuration = null;
try
{
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        Args = args,
        // appsettings.json sits next to the binary: dotnet run, the container and Lambda read the same
        // file, whatever the working directory.
        ContentRootPath = AppContext.BaseDirectory,
    });

    configuration = builder.Configuration;

    // Configuration: appsettings.json, environment, command line, then the Secrets Manager secret on top.
    builder.AddSettingsSecret();
    builder.AddProxyTelemetry();

    builder.Services.AddFingerprintProxy();
    builder.Services.AddProxyHealthChecks();
    builder.Services.AddAWSLambdaHosting(builder.Configuration, lambda =>
        lambda.BeforeInvocationAsync = SecretsManagerSettingsExtensions.RefreshIfStaleAsync);

    var app = builder.Build();
    app.UseProxyTelemetry();
    app.UseGracefulShutdown();
    app.UseFingerprintProxy();
    app.MapProxyHealthChecks();
    app.MapFingerprintProxy();
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    // A setting refused at start-up ends the process with the reason and a non-zero exit code, never a
    // stack trace; on Lambda the reason also goes to the Runtime API's /init/error.
    return await StartupFailure.ReportAsync(configuration, exception);
}

/// <summary>The proxy host: Kestrel locally and in containers, the Lambda Runtime API on AWS Lambda.</summary>
public partial class Program;
