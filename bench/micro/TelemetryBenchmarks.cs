using BenchmarkDotNet.Attributes;
using FingerprintProxy.Configuration;
using FingerprintProxy.Proxy;
using FingerprintProxy.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Benchmarks;

/// <summary>
/// What the telemetry adds to one forwarded request: the middleware around a handler that makes the same
/// hook calls as the real one (routed, forward started, forward completed), with nothing listening, with
/// the EMF writer's listener (Lambda), and with the OpenTelemetry SDK's metrics, then metrics and traces
/// (containers; the exporters point nowhere and never run during the measurement).
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    public enum Listening
    {
        Nothing,
        Emf,
        OpenTelemetryMetrics,
        OpenTelemetryMetricsAndTraces,
    }

    private ServiceProvider _services = null!;
    private ProxyTelemetryMiddleware _middleware = null!;
    private DefaultHttpContext _context = null!;
    private MeterProvider? _meters;
    private TracerProvider? _tracer;

    [Params(Listening.Nothing, Listening.Emf, Listening.OpenTelemetryMetrics, Listening.OpenTelemetryMetricsAndTraces)]
    public Listening Listener { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = ProxyServices.Collection()
            .AddMetrics()
            .AddSingleton(new TelemetryEnvironment(OnLambda: false))
            .AddSingleton<ProxyMetrics>()
            .AddSingleton<TelemetryFlush>()
            .AddSingleton(new EmfOutput(TextWriter.Null))
            .AddSingleton<EmfMetricsWriter>()
            .AddSingleton(TimeProvider.System);
        services.AddOptions<TelemetryOptions>();
        _services = services.BuildServiceProvider();
        var metrics = _services.GetRequiredService<ProxyMetrics>();
        if (Listener == Listening.Emf)
        {
            _services.GetRequiredService<EmfMetricsWriter>();
        }

        if (Listener is Listening.OpenTelemetryMetrics or Listening.OpenTelemetryMetricsAndTraces)
        {
            _meters = Sdk.CreateMeterProviderBuilder().AddMeter(ProxyMetrics.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = new Uri("http://127.0.0.1:9");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 24 * 3600 * 1000;
                })
                .Build();
        }

        if (Listener == Listening.OpenTelemetryMetricsAndTraces)
        {
            _tracer = Sdk.CreateTracerProviderBuilder().AddSource(ProxyActivitySource.Name)
                .AddOtlpExporter(exporter =>
                {
                    exporter.Endpoint = new Uri("http://127.0.0.1:9");
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 24 * 3600 * 1000;
                    exporter.BatchExportProcessorOptions.MaxQueueSize = 1 << 20;
                    exporter.BatchExportProcessorOptions.MaxExportBatchSize = 1 << 20;
                })
                .Build();
        }

        var routes = _services.Settings().Routes;
        var match = ProxyRouter.Match("/fpjs/result", "?ci=js/3.12.15&region=eu", routes);
        _middleware = new ProxyTelemetryMiddleware(
            context =>
            {
                var telemetry = RequestTelemetry.Of(context);
                telemetry?.Routed(match, routes);
                telemetry?.ForwardStarting();
                context.Response.StatusCode = StatusCodes.Status200OK;
                telemetry?.ForwardCompleted(context, ForwarderError.None);
                return Task.CompletedTask;
            },
            metrics,
            _services.GetRequiredService<IOptions<TelemetryOptions>>(),
            NullLoggerFactory.Instance,
            _services.GetRequiredService<TelemetryEnvironment>(),
            _services.GetRequiredService<TelemetryFlush>());
        _context = new DefaultHttpContext();
        _context.Request.Method = HttpMethods.Post;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tracer?.Dispose();
        _meters?.Dispose();
        _services.Dispose();
    }

    [Benchmark(Description = "one forwarded request, telemetry middleware and hooks")]
    public Task Request() => _middleware.InvokeAsync(_context);
}
