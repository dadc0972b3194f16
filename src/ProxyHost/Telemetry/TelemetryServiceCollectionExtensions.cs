using FingerprintProxy.Hosting.AwsLambda;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FingerprintProxy.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The <c>service.name</c> when <c>OTEL_SERVICE_NAME</c> does not set one.</summary>
    public const string DefaultServiceName = "fingerprint-proxy";

    /// <summary>
    /// What the proxy says about itself (docs/observability.md): console logs as JSON lines or text
    /// (<c>FPJS_LOG_FORMAT</c>; JSON by default on Lambda), the opt-in access log (<c>FPJS_ACCESS_LOG</c>), the
    /// <c>FingerprintProxy</c> meter and activity source, CloudWatch EMF lines (<c>FPJS_METRICS_EMF</c>; on by
    /// default on Lambda) and, only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, OpenTelemetry's OTLP
    /// export of the proxy's, ASP.NET Core's, HttpClient's and the runtime's metrics and traces, configured
    /// by the standard <c>OTEL_*</c> variables.
    /// </summary>
    public static IHostApplicationBuilder AddProxyTelemetry(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var onLambda = LambdaStartupFailure.IsLambda(configuration);
        var options = new TelemetryOptions();
        configuration.Bind(options);
        // Checked here, not when the host starts: the log format is chosen now, before there is a host.
        if (new TelemetryOptionsValidator().Validate(Options.DefaultName, options) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TelemetryOptions), invalid.Failures);
        }

        services.AddOptions<TelemetryOptions>().BindConfiguration(string.Empty);
        services.AddSingleton(new TelemetryEnvironment(onLambda));
        services.AddSingleton<ProxyMetrics>();
        services.AddSingleton<TelemetryFlush>();

        if (options.JsonLogs(onLambda))
        {
            builder.Logging.AddJsonConsole(json =>
            {
                // Scopes carry the trace and span ids of the request, which ties a log line to its trace.
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        if (options.EmfEnabled(onLambda))
        {
            services.AddSingleton(new EmfOutput(Console.Out));
            services.AddSingleton<EmfMetricsWriter>();
            // Started before the secret's counter below, so that the read at start-up is in the first lines.
            services.AddHostedService(sp => sp.GetRequiredService<EmfMetricsWriter>());
        }

        services.AddHostedService<SecretReadMetrics>();

        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            var serviceNameSet = !string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]);
            services.AddOpenTelemetry()
                .ConfigureResource(resource =>
                {
                    if (!serviceNameSet)
                    {
                        resource.AddService(DefaultServiceName, serviceVersion: Proxy.ProxyIntegration.Info.Version);
                    }
                })
                .WithMetrics(metrics => metrics
                    .AddMeter(ProxyMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddOtlpExporter())
                .WithTracing(tracing => tracing
                    .AddSource(ProxyActivitySource.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>The telemetry middleware: first in the pipeline, so it sees every answer, the exception handler's included.</summary>
    public static IApplicationBuilder UseProxyTelemetry(this IApplicationBuilder app) => app.UseMiddleware<ProxyTelemetryMiddleware>();
}
