using System.Diagnostics;
using System.Diagnostics.Metrics;
using FingerprintProxy.Configuration;
using FingerprintProxy.Configuration.AwsSecretsManager;
using FingerprintProxy.Proxy;

namespace FingerprintProxy.Telemetry;

/// <summary>
/// The proxy's own metrics, on one <see cref="Meter"/> (<see cref="MeterName"/>) made by the host's
/// <see cref="IMeterFactory"/>. Names and units follow the OpenTelemetry semantic conventions where they have
/// one (<c>http.request.method</c>, <c>error.type</c>, seconds for durations); the rest is under
/// <c>fingerprint.proxy.*</c>. Every attribute has a small, fixed set of values.
/// </summary>
internal sealed class ProxyMetrics
{
    public const string MeterName = "FingerprintProxy";

    public const string Requests = "fingerprint.proxy.requests";
    public const string UpstreamDuration = "fingerprint.proxy.upstream.duration";
    public const string Errors = "fingerprint.proxy.errors";
    public const string Refusals = "fingerprint.proxy.refusals";
    public const string SecretReloads = "fingerprint.proxy.secret.reloads";
    public const string SettingsAge = "fingerprint.proxy.settings.age";

    public const string RouteAttribute = "fingerprint.proxy.route";
    public const string RegionAttribute = "fingerprint.proxy.region";
    public const string StatusClassAttribute = "fingerprint.proxy.status_class";
    public const string MethodAttribute = "http.request.method";
    public const string StatusCodeAttribute = "http.response.status_code";
    public const string ErrorTypeAttribute = "error.type";
    public const string RefusalReasonAttribute = "fingerprint.proxy.refusal.reason";
    public const string OutcomeAttribute = "fingerprint.proxy.secret.outcome";
    public const string SourceAttribute = "fingerprint.proxy.settings.source";

    // The OpenTelemetry HTTP duration buckets (seconds).
    private static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _secretReloads;
    private readonly ProxySettingsAccessor _settings;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;

    public ProxyMetrics(IMeterFactory meterFactory, ProxySettingsAccessor settings, IServiceProvider services, TimeProvider time)
    {
        _settings = settings;
        _services = services;
        _time = time;
        var meter = meterFactory.Create(MeterName, ProxyIntegration.Info.Version);
        _requests = meter.CreateCounter<long>(Requests, "{request}", "Requests answered, by route, method, status class and region.");
        _upstreamDuration = meter.CreateHistogram(UpstreamDuration, "s", "Time from sending a request to Fingerprint to the end of its response.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _errors = meter.CreateCounter<long>(Errors, "{error}", "Error answers the proxy made because Fingerprint could not be reached or failed.");
        _refusals = meter.CreateCounter<long>(Refusals, "{request}", "Requests the proxy answered itself without forwarding, by reason.");
        _secretReloads = meter.CreateCounter<long>(SecretReloads, "{read}", "Reads of the settings secret, by outcome.");
        meter.CreateObservableGauge(SettingsAge, ObserveSettingsAge, "s", "Age of the settings in force and of the last successful read of the secret.");
    }

    /// <summary>Whether anything listens to the request counter (an exporter, EMF, a test).</summary>
    public bool Enabled => _requests.Enabled || _upstreamDuration.Enabled;

    public void RequestCompleted(RouteKind? route, string method, int statusCode, string? region)
    {
        if (!_requests.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { RouteAttribute, TelemetryNames.Route(route) },
            { MethodAttribute, TelemetryNames.Method(method) },
            { StatusClassAttribute, TelemetryNames.StatusClass(statusCode) },
        };
        if (region is not null)
        {
            tags.Add(RegionAttribute, region);
        }

        _requests.Add(1, tags);
    }

    public void UpstreamCompleted(RouteKind route, string? region, TimeSpan duration, int? upstreamStatusCode, string? errorType)
    {
        if (!_upstreamDuration.Enabled)
        {
            return;
        }

        var tags = new TagList { { RouteAttribute, TelemetryNames.Route(route) } };
        if (region is not null)
        {
            tags.Add(RegionAttribute, region);
        }

        if (upstreamStatusCode is { } status)
        {
            tags.Add(StatusCodeAttribute, status);
        }

        if (errorType is not null)
        {
            tags.Add(ErrorTypeAttribute, errorType);
        }

        _upstreamDuration.Record(duration.TotalSeconds, tags);
    }

    public void ErrorAnswered(RouteKind? route, string errorType) =>
        _errors.Add(1, new KeyValuePair<string, object?>(ErrorTypeAttribute, errorType), new KeyValuePair<string, object?>(RouteAttribute, TelemetryNames.Route(route)));

    public void Refused(RefusalReason reason) =>
        _refusals.Add(1, new KeyValuePair<string, object?>(RefusalReasonAttribute, TelemetryNames.Refusal(reason)));

    public void SecretRead(SecretsManagerReloadOutcome outcome) =>
        _secretReloads.Add(1, new KeyValuePair<string, object?>(OutcomeAttribute, TelemetryNames.Outcome(outcome)));

    private IEnumerable<Measurement<double>> ObserveSettingsAge()
    {
        var now = _time.GetUtcNow();
        yield return new Measurement<double>((now - _settings.AppliedAt).TotalSeconds, new KeyValuePair<string, object?>(SourceAttribute, "applied"));
        if (_services.GetService<SecretsManagerConfigurationProvider>()?.State.LastSuccess is { } lastRead)
        {
            yield return new Measurement<double>((now - lastRead).TotalSeconds, new KeyValuePair<string, object?>(SourceAttribute, "secret"));
        }
    }
}

/// <summary>Why the proxy answered a request itself instead of forwarding it.</summary>
internal enum RefusalReason
{
    /// <summary>The origin-verification header was missing or wrong (403).</summary>
    OriginVerification,

    /// <summary>A protocol upgrade or extended CONNECT (400).</summary>
    Upgrade,

    /// <summary>Outside the integration path (404).</summary>
    NotFound,

    /// <summary>Malformed or unsafe path or query (400).</summary>
    BadRequest,

    /// <summary>The body is over the limit (413).</summary>
    BodyTooLarge,

    /// <summary>The body could not be read (400).</summary>
    BodyUnreadable,
}
