using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FingerprintProxy.Telemetry;

/// <summary>Where the process runs, as far as telemetry cares.</summary>
internal sealed record TelemetryEnvironment(bool OnLambda);

/// <summary>
/// The end-of-request flush for hosts that may freeze after answering (AWS Lambda freezes the execution
/// environment between invocations, so nothing buffered would leave until the next one): writes the EMF
/// lines and, with an OTLP endpoint, pushes the OpenTelemetry exporters. Elsewhere nothing is flushed per
/// request: EMF lines go out once a minute and the exporters keep their own schedule.
/// </summary>
internal sealed class TelemetryFlush
{
    private const int ExportTimeoutMilliseconds = 1000;

    private readonly EmfMetricsWriter? _emf;
    private readonly TracerProvider? _tracer;
    private readonly MeterProvider? _meter;

    public TelemetryFlush(IServiceProvider services, TelemetryEnvironment environment)
    {
        if (environment.OnLambda)
        {
            _emf = services.GetService<EmfMetricsWriter>();
            _tracer = services.GetService<TracerProvider>();
            _meter = services.GetService<MeterProvider>();
        }
    }

    public bool Enabled => _emf is not null || _tracer is not null || _meter is not null;

    public Task FlushAsync()
    {
        _emf?.Flush();
        _tracer?.ForceFlush(ExportTimeoutMilliseconds);
        _meter?.ForceFlush(ExportTimeoutMilliseconds);
        return Task.CompletedTask;
    }
}
