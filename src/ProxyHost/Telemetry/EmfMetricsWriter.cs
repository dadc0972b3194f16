using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Telemetry;

/// <summary>
/// CloudWatch Embedded Metric Format: a <see cref="MeterListener"/> on this host's <see cref="ProxyMetrics"/>
/// that sums counters and keeps histogram values until <see cref="Flush"/>, which writes them as EMF
/// documents, one JSON object per line, to <see cref="EmfOutput"/> (standard output). CloudWatch Logs turns
/// each line into metrics; on Lambda the flush runs once per invocation. Dimensions are few and fixed
/// (<see cref="Specs"/>): route and status class, or a reason, never a per-request value.
/// </summary>
internal sealed class EmfMetricsWriter : IHostedService, IDisposable
{
    /// <summary>CloudWatch takes at most 100 values for one metric in one document.</summary>
    private const int MaxValuesPerMetric = 100;

    /// <summary>Outside Lambda (EMF under the CloudWatch agent) the lines go out once a minute, the metrics' resolution.</summary>
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMinutes(1);

    /// <summary>Which instruments become which EMF metrics, and which of their attributes become dimensions.</summary>
    internal static readonly IReadOnlyDictionary<string, EmfMetric> Specs = new Dictionary<string, EmfMetric>
    {
        // Also by status class alone, so that an alarm can take the 5xx share in one metric-math expression.
        [ProxyMetrics.Requests] = new("Requests", "Count", 1, [(ProxyMetrics.RouteAttribute, "RouteKind"), (ProxyMetrics.StatusClassAttribute, "StatusClass")], Rollup: ["StatusClass"]),
        [ProxyMetrics.UpstreamDuration] = new("UpstreamDuration", "Milliseconds", 1000, [(ProxyMetrics.RouteAttribute, "RouteKind")]),
        [ProxyMetrics.Errors] = new("ProxyErrors", "Count", 1, [(ProxyMetrics.ErrorTypeAttribute, "Reason")]),
        [ProxyMetrics.Refusals] = new("RefusedRequests", "Count", 1, [(ProxyMetrics.RefusalReasonAttribute, "Reason")]),
        [ProxyMetrics.SecretReloads] = new("SecretReads", "Count", 1, [(ProxyMetrics.OutcomeAttribute, "Outcome")]),
        [ProxyMetrics.SettingsAge] = new("SettingsAge", "Seconds", 1, [(ProxyMetrics.SourceAttribute, "Source")]),
    };

    private readonly MeterListener _listener = new();
    private readonly IMeterFactory _scope;
    private readonly EmfOutput _output;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _namespace;
    private readonly Lock _lock = new();
    private readonly bool _onLambda;
    private ITimer? _timer;
    private Dictionary<SeriesKey, Series> _series = [];

    public EmfMetricsWriter(IMeterFactory meterFactory, ProxyMetrics metrics, EmfOutput output, IOptions<TelemetryOptions> options, TelemetryEnvironment environment, TimeProvider time, ILogger<EmfMetricsWriter> logger)
    {
        _ = metrics; // the instruments must exist before the listener starts
        _scope = meterFactory;
        _output = output;
        _time = time;
        _logger = logger;
        _namespace = options.Value.MetricsNamespace;
        _onLambda = environment.OnLambda;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // This host's meter only: another host in the process has a meter of the same name.
            if (instrument.Meter.Name == ProxyMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, _scope)
                && Specs.TryGetValue(instrument.Name, out var spec))
            {
                listener.EnableMeasurementEvents(instrument, spec);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => Record(instrument, (EmfMetric)state!, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => Record(instrument, (EmfMetric)state!, value, tags));
        _listener.Start();
    }

    /// <summary>Writes everything recorded since the last flush (and the gauges' current values), then starts afresh.</summary>
    public void Flush()
    {
        try
        {
            _listener.RecordObservableInstruments();
            Dictionary<SeriesKey, Series> series;
            lock (_lock)
            {
                series = _series;
                _series = [];
            }

            if (series.Count > 0)
            {
                Write(series.Values);
            }
        }
        catch (Exception exception) when (IsHostGone(exception))
        {
            // The last flush of a stop raced the host's disposal (a gauge read a disposed service): nothing
            // left to report to, and logging would fail the same way.
        }
        catch (IOException exception)
        {
            Log.EmfFailed(_logger, exception);
        }
    }

    private static bool IsHostGone(Exception exception) =>
        exception is ObjectDisposedException
        || (exception is AggregateException aggregate && aggregate.Flatten().InnerExceptions.All(e => e is ObjectDisposedException));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // On Lambda the flush follows each invocation (TelemetryFlush): timers do not run while it is frozen.
        if (!_onLambda)
        {
            _timer = _time.CreateTimer(static state => ((EmfMetricsWriter)state!).Flush(), this, FlushInterval, FlushInterval);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        Flush();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _listener.Dispose();
    }

    private void Record(Instrument instrument, EmfMetric spec, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Every spec has one or two dimensions: the key holds their values without allocating.
        var key = new SeriesKey(spec, DimensionValue(spec, 0, tags), spec.Dimensions.Length > 1 ? DimensionValue(spec, 1, tags) : null);
        var scaled = value * spec.Scale;
        lock (_lock)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                string[] dimensions = key.Second is null ? [key.First] : [key.First, key.Second];
                _series[key] = series = new Series(spec, dimensions, IsSum: instrument is Counter<long>);
            }

            if (series.IsSum)
            {
                series.Sum += scaled;
            }
            else
            {
                if (instrument is ObservableGauge<double>)
                {
                    series.Values.Clear();
                }

                series.Values.Add(scaled);
            }
        }
    }

    private static string DimensionValue(EmfMetric spec, int index, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var attribute = spec.Dimensions[index].Attribute;
        foreach (var tag in tags)
        {
            if (tag.Key == attribute)
            {
                return tag.Value as string ?? tag.Value?.ToString() ?? TelemetryNames.NoRoute;
            }
        }

        return TelemetryNames.NoRoute;
    }

    /// <summary>
    /// Packs the series into as few documents as their dimensions allow: a series joins a document when it
    /// adds a metric the document lacks and every dimension it shares has the same value there.
    /// </summary>
    private void Write(IEnumerable<Series> all)
    {
        var documents = new List<Document>();
        foreach (var series in all)
        {
            foreach (var chunk in series.Chunks(MaxValuesPerMetric))
            {
                var document = documents.Find(d => d.Accepts(chunk.Series));
                if (document is null)
                {
                    documents.Add(document = new Document());
                }

                document.Add(chunk);
            }
        }

        var timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var buffer = new ArrayBufferWriter<byte>(1024);
        foreach (var document in documents)
        {
            using (var json = new Utf8JsonWriter(buffer))
            {
                document.WriteTo(json, _namespace, timestamp);
            }

            buffer.Write("\n"u8);
        }

        // One write for the whole flush: a console log line can never land inside a document.
        _output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private readonly record struct SeriesKey(EmfMetric Spec, string First, string? Second);

    private sealed class Series(EmfMetric spec, string[] dimensions, bool IsSum)
    {
        public EmfMetric Spec { get; } = spec;

        public string[] Dimensions { get; } = dimensions;

        public bool IsSum { get; } = IsSum;

        public double Sum { get; set; }

        public List<double> Values { get; } = [];

        public IEnumerable<(Series Series, double[] Values)> Chunks(int size)
        {
            if (IsSum)
            {
                yield return (this, [Sum]);
                yield break;
            }

            for (var i = 0; i < Values.Count; i += size)
            {
                yield return (this, Values.GetRange(i, Math.Min(size, Values.Count - i)).ToArray());
            }
        }
    }

    private sealed class Document
    {
        private readonly Dictionary<string, string> _dimensions = [];
        private readonly List<(Series Series, double[] Values)> _metrics = [];

        public bool Accepts(Series series)
        {
            if (_metrics.Exists(m => m.Series.Spec.Name == series.Spec.Name))
            {
                return false;
            }

            for (var i = 0; i < series.Dimensions.Length; i++)
            {
                if (_dimensions.TryGetValue(series.Spec.Dimensions[i].Name, out var value) && value != series.Dimensions[i])
                {
                    return false;
                }
            }

            return true;
        }

        public void Add((Series Series, double[] Values) metric)
        {
            _metrics.Add(metric);
            for (var i = 0; i < metric.Series.Dimensions.Length; i++)
            {
                _dimensions[metric.Series.Spec.Dimensions[i].Name] = metric.Series.Dimensions[i];
            }
        }

        public void WriteTo(Utf8JsonWriter json, string ns, long timestamp)
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", timestamp);
            json.WriteStartArray("CloudWatchMetrics");
            // One directive per dimension set: each metric is published with exactly its own dimensions.
            foreach (var group in _metrics.GroupBy(m => m.Series.Spec.DimensionSet))
            {
                json.WriteStartObject();
                json.WriteString("Namespace", ns);
                var spec = group.First().Series.Spec;
                json.WriteStartArray("Dimensions");
                json.WriteStartArray();
                foreach (var (_, name) in spec.Dimensions)
                {
                    json.WriteStringValue(name);
                }

                json.WriteEndArray();
                if (spec.Rollup is { } rollup)
                {
                    json.WriteStartArray();
                    foreach (var name in rollup)
                    {
                        json.WriteStringValue(name);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteStartArray("Metrics");
                foreach (var (series, _) in group)
                {
                    json.WriteStartObject();
                    json.WriteString("Name", series.Spec.Name);
                    json.WriteString("Unit", series.Spec.Unit);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            foreach (var (name, value) in _dimensions)
            {
                json.WriteString(name, value);
            }

            foreach (var (series, values) in _metrics)
            {
                if (values.Length == 1)
                {
                    json.WriteNumber(series.Spec.Name, values[0]);
                }
                else
                {
                    json.WriteStartArray(series.Spec.Name);
                    foreach (var value in values)
                    {
                        json.WriteNumberValue(value);
                    }

                    json.WriteEndArray();
                }
            }

            json.WriteEndObject();
        }
    }
}

/// <summary>
/// How one instrument is written as an EMF metric: its name, CloudWatch unit, scale, dimensions (attribute,
/// dimension name) and, optionally, a second, smaller dimension set it is also published under.
/// </summary>
/// <remarks>A class, not a record: series are keyed by the spec's identity, which hashes without reading its fields.</remarks>
internal sealed class EmfMetric(string name, string unit, double scale, (string Attribute, string Name)[] dimensions, string[]? Rollup = null)
{
    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public double Scale { get; } = scale;

    public (string Attribute, string Name)[] Dimensions { get; } = dimensions;

    public string[]? Rollup { get; } = Rollup;

    /// <summary>The dimension sets, as one key.</summary>
    public string DimensionSet { get; } = string.Join(',', dimensions.Select(d => d.Name)) + "|" + string.Join(',', Rollup ?? []);
}

/// <summary>Where EMF lines go: standard output, where Lambda and the CloudWatch agent pick them up.</summary>
internal sealed class EmfOutput(TextWriter writer)
{
    /// <summary>Writes the lines of one flush, each ending with a newline, in one call.</summary>
    public void Write(string lines) => writer.Write(lines);
}
