using System.Diagnostics.Metrics;
using FingerprintProxy.Telemetry;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FingerprintProxy.Tests.Telemetry;

/// <summary>The <c>FingerprintProxy</c> meter, read back with <see cref="MetricCollector{T}"/> after known traffic.</summary>
public sealed class ProxyMetricsTests
{
    /// <summary>A bound on waiting for a measurement that follows the answer, not a timing expectation.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static MetricCollector<T> Collect<T>(ProxyServer proxy, string instrument)
        where T : struct =>
        new(proxy.Services.GetRequiredService<IMeterFactory>(), ProxyMetrics.MeterName, instrument);

    private static object? Tag(CollectedMeasurement<long> m, string key) => m.Tags.TryGetValue(key, out var value) ? value : null;

    private static bool Has(CollectedMeasurement<long> m, params (string Key, object Value)[] tags) =>
        tags.All(t => Equals(Tag(m, t.Key), t.Value));

    [Fact]
    public async Task KnownTraffic_IsCountedByRouteMethodStatusClassAndRegion()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);
        using var requests = Collect<long>(proxy, ProxyMetrics.Requests);
        using var refusals = Collect<long>(proxy, ProxyMetrics.Refusals);
        using var upstreamDuration = Collect<double>(proxy, ProxyMetrics.UpstreamDuration);
        using var errors = Collect<long>(proxy, ProxyMetrics.Errors);

        (await proxy.Client.PostAsync("/fpjs/result?region=eu", new StringContent("{}"))).Dispose();
        (await proxy.Client.GetAsync("/fpjs/agent?apiKey=K")).Dispose();
        (await proxy.Client.GetAsync("/elsewhere")).Dispose();
        // Recorded when each request ends, which may be just after the client has read the answer.
        await requests.WaitForMeasurementsAsync(3, Patience);
        await refusals.WaitForMeasurementsAsync(1, Patience);
        await upstreamDuration.WaitForMeasurementsAsync(2, Patience);

        var measured = requests.GetMeasurementSnapshot();
        Assert.Equal(3, measured.Count);
        Assert.Contains(measured, m => m.Value == 1 && Has(m,
            (ProxyMetrics.RouteAttribute, "result"), (ProxyMetrics.MethodAttribute, "POST"),
            (ProxyMetrics.StatusClassAttribute, "2xx"), (ProxyMetrics.RegionAttribute, "eu")));
        Assert.Contains(measured, m => Has(m,
            (ProxyMetrics.RouteAttribute, "agent"), (ProxyMetrics.MethodAttribute, "GET"), (ProxyMetrics.RegionAttribute, "us")));
        var notFound = Assert.Single(measured, m => Has(m, (ProxyMetrics.RouteAttribute, "not_found")));
        Assert.Equal("4xx", Tag(notFound, ProxyMetrics.StatusClassAttribute));
        Assert.Null(Tag(notFound, ProxyMetrics.RegionAttribute));

        var refusal = Assert.Single(refusals.GetMeasurementSnapshot());
        Assert.Equal("not_found", refusal.Tags[ProxyMetrics.RefusalReasonAttribute]);

        var durations = upstreamDuration.GetMeasurementSnapshot();
        Assert.Equal(2, durations.Count);
        Assert.All(durations, d => Assert.Equal(200, d.Tags[ProxyMetrics.StatusCodeAttribute]));
        Assert.All(durations, d => Assert.True(d.Value >= 0));
        Assert.Empty(errors.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task UpstreamDown_CountsTheProxyError_AndTheUpstreamAttemptWithItsErrorType()
    {
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort());
        using var requests = Collect<long>(proxy, ProxyMetrics.Requests);
        using var upstreamDuration = Collect<double>(proxy, ProxyMetrics.UpstreamDuration);
        using var errors = Collect<long>(proxy, ProxyMetrics.Errors);

        using var response = await proxy.Client.PostAsync("/fpjs/result", new StringContent("{}"));
        await errors.WaitForMeasurementsAsync(1, Patience);

        Assert.Equal(500, (int)response.StatusCode);
        var error = Assert.Single(errors.GetMeasurementSnapshot());
        Assert.Equal("unreachable", error.Tags[ProxyMetrics.ErrorTypeAttribute]);
        Assert.Equal("result", error.Tags[ProxyMetrics.RouteAttribute]);
        var request = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal("5xx", request.Tags[ProxyMetrics.StatusClassAttribute]);
        var attempt = Assert.Single(upstreamDuration.GetMeasurementSnapshot());
        Assert.Equal("unreachable", attempt.Tags[ProxyMetrics.ErrorTypeAttribute]);
        Assert.False(attempt.Tags.ContainsKey(ProxyMetrics.StatusCodeAttribute));
    }

    [Fact]
    public async Task RefusalsBeforeRouting_AreCountedByReason_WithoutARoute()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_ORIGIN_VERIFY_SECRET=verify-value-77"]);
        using var requests = Collect<long>(proxy, ProxyMetrics.Requests);
        using var refusals = Collect<long>(proxy, ProxyMetrics.Refusals);

        using var response = await proxy.Client.GetAsync("/fpjs/agent?apiKey=K");
        await refusals.WaitForMeasurementsAsync(1, Patience);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Empty(upstream.Requests);
        Assert.Equal("origin_verification", Assert.Single(refusals.GetMeasurementSnapshot()).Tags[ProxyMetrics.RefusalReasonAttribute]);
        var request = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal(TelemetryNames.NoRoute, request.Tags[ProxyMetrics.RouteAttribute]);
        Assert.Equal("4xx", request.Tags[ProxyMetrics.StatusClassAttribute]);
    }

    [Fact]
    public async Task SettingsAge_IsTheTimeSinceTheSettingsInForceWereApplied()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, configure: builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time)));
        using var age = Collect<double>(proxy, ProxyMetrics.SettingsAge);

        time.Advance(TimeSpan.FromSeconds(42));
        age.RecordObservableInstruments();

        var measured = Assert.Single(age.GetMeasurementSnapshot());
        Assert.Equal(42, measured.Value);
        Assert.Equal("applied", measured.Tags[ProxyMetrics.SourceAttribute]);
    }
}
