using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using System.Text.Json.Nodes;
using FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;
using FingerprintProxy.Telemetry;
using FingerprintProxy.Tests.Infrastructure;
using FingerprintProxy.Tests.Lambda;
using FingerprintProxy.Tests.Secrets;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FingerprintProxy.Tests.Telemetry;

/// <summary>On Lambda the metrics leave as CloudWatch EMF lines on standard output, once per invocation.</summary>
public sealed class EmfMetricsWriterTests
{
    private static Task<LambdaProxyHost> StartAsync(FakeLambdaRuntime runtime, int upstreamPort, EmfCapture emf, IEnumerable<string>? settings = null) =>
        LambdaProxyHost.StartAsync(runtime, upstreamPort, settings, builder =>
            builder.ConfigureTestServices(services => services.AddSingleton(emf.Output)));

    [Fact]
    public async Task ForwardedInvocation_WritesRequestsAndUpstreamDuration_InOneFlush()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        await using var upstream = await FakeFingerprint.StartAsync();
        using var emf = new EmfCapture();
        await using var host = await StartAsync(runtime, upstream.Port, emf);

        var result = await runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody).ToJsonString());
        var flush = await emf.NextFlushAsync();

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(1, (double)flush.Metric("Requests", ("RouteKind", "catch_all"), ("StatusClass", "2xx"))!);
        var durations = flush.Metric("UpstreamDuration", ("RouteKind", "catch_all"))!;
        Assert.True((double)durations >= 0);
        var document = flush.First(d => d.ContainsKey("Requests"));
        var (dimensions, unit, ns) = document.Directive("Requests");
        Assert.Equal(["RouteKind,StatusClass", "StatusClass"], dimensions);
        Assert.Equal(("Count", "FingerprintProxy"), (unit, ns));
        (dimensions, unit, _) = flush.First(d => d.ContainsKey("UpstreamDuration")).Directive("UpstreamDuration");
        Assert.Equal(["RouteKind"], dimensions);
        Assert.Equal("Milliseconds", unit);
        Assert.NotNull(flush.Metric("SettingsAge", ("Source", "applied")));
        Assert.All(flush, d => Assert.InRange((long)d["_aws"]!["Timestamp"]!, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task EachInvocation_IsFlushedOnItsOwn_RefusalsAndErrorsByReason()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        using var emf = new EmfCapture();
        await using var host = await StartAsync(runtime, FakeFingerprint.ClosedPort(), emf, ["--FPJS_METRICS_NAMESPACE=Proxy/Test"]);

        var refused = await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/elsewhere").ToJsonString());
        var refusedFlush = await emf.NextFlushAsync();
        var failed = await runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody).ToJsonString());
        var failedFlush = await emf.NextFlushAsync();

        Assert.Equal((404, 500), (refused.StatusCode, failed.StatusCode));
        Assert.Equal(1, (double)refusedFlush.Metric("RefusedRequests", ("Reason", "not_found"))!);
        Assert.Equal(1, (double)refusedFlush.Metric("Requests", ("RouteKind", "not_found"), ("StatusClass", "4xx"))!);
        Assert.Null(refusedFlush.Metric("ProxyErrors"));
        Assert.Equal("Proxy/Test", refusedFlush.First(d => d.ContainsKey("RefusedRequests")).Directive("RefusedRequests").Namespace);

        Assert.Equal(1, (double)failedFlush.Metric("ProxyErrors", ("Reason", "unreachable"))!);
        Assert.Equal(1, (double)failedFlush.Metric("Requests", ("RouteKind", "catch_all"), ("StatusClass", "5xx"))!);
        Assert.Null(failedFlush.Metric("RefusedRequests"));
        Assert.Null(failedFlush.Metric("Requests", ("RouteKind", "not_found")));
    }

    [Fact]
    public async Task SecretReadAtStartup_IsInTheFirstFlush_AndItsAge()
    {
        const string secretId = "prod/fingerprint-proxy";
        await using var runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var secrets = await FakeSecretsManager.StartAsync("eu-west-1");
        using var profile = AwsProfile.Create(FakeSecretsManager.AccessKey, FakeSecretsManager.SecretKey, sessionToken: null);
        secrets.SetSecret(secretId, """{"FPJS_PRE_SHARED_SECRET":"secret-from-the-store-e2"}""");
        using var emf = new EmfCapture();
        await using var host = await StartAsync(runtime, upstream.Port, emf,
        [
            $"--FPJS_SECRET_NAME={secretId}",
            "--FPJS_SECRET_REGION=eu-west-1",
            $"--AWS:ServiceURL={secrets.Endpoint}",
            $"--AWS:Profile={AwsProfile.Name}",
            $"--AWS:ProfilesLocation={profile.Path}",
        ]);

        await runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody).ToJsonString());
        var flush = await emf.NextFlushAsync();

        Assert.Equal(1, (double)flush.Metric("SecretReads", ("Outcome", "applied"))!);
        Assert.InRange((double)flush.Metric("SettingsAge", ("Source", "secret"))!, 0, 300);
        Assert.DoesNotContain("secret-from-the-store-e2", string.Join('\n', flush.Select(d => d.ToJsonString())));
    }

    [Fact]
    public async Task OutsideLambda_TurnedOn_FlushesOnceAMinute_NotPerRequest()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var upstream = await FakeFingerprint.StartAsync();
        using var emf = new EmfCapture();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_METRICS_EMF=true"], builder =>
            builder.ConfigureTestServices(services => services.AddSingleton(emf.Output).AddSingleton<TimeProvider>(time)));
        using var requests = new MetricCollector<long>(proxy.Services.GetRequiredService<IMeterFactory>(), ProxyMetrics.MeterName, ProxyMetrics.Requests);

        (await proxy.Client.GetAsync("/fpjs/agent?apiKey=K")).Dispose();
        (await proxy.Client.GetAsync("/fpjs/agent?apiKey=K")).Dispose();
        await requests.WaitForMeasurementsAsync(2, TimeSpan.FromSeconds(10));
        var flushedBeforeTheMinute = emf.HasPendingFlush;
        time.Advance(TimeSpan.FromMinutes(1));
        var flush = await emf.NextFlushAsync();

        Assert.False(flushedBeforeTheMinute);
        Assert.Equal(2, (double)flush.Metric("Requests", ("RouteKind", "agent"), ("StatusClass", "2xx"))!);
        Assert.Equal(60, (double)flush.Metric("SettingsAge", ("Source", "applied"))!);
        var values = flush.Metric("UpstreamDuration", ("RouteKind", "agent"))!.AsArray();
        Assert.Equal(2, values.Count);
    }
}
