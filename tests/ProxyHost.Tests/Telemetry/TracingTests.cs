using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using System.Diagnostics;
using FingerprintProxy.Telemetry;
using FingerprintProxy.Tests.Infrastructure;
using FingerprintProxy.Tests.Lambda;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FingerprintProxy.Tests.Telemetry;

/// <summary>
/// Tracing with OpenTelemetry on (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, to a closed port here) and an
/// in-memory exporter: the proxy's spans come out, and nothing of them goes into the request to Fingerprint.
/// </summary>
public sealed class TracingTests
{
    private static readonly string[] TraceHeaders = ["traceparent", "tracestate", "Request-Id", "baggage", "Correlation-Context"];

    private static string[] TracingOn() => [$"--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:{FakeFingerprint.ClosedPort()}"];

    private static Action<Microsoft.AspNetCore.Hosting.IWebHostBuilder> Export(List<Activity> spans) => builder =>
        builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));

    /// <summary>
    /// A client that sends only the headers a test gives it: this process's tracer would otherwise have the
    /// test's own HttpClient add a traceparent, which the proxy passes through as it passes any client header.
    /// </summary>
    private static HttpClient ClientOf(ProxyServer proxy) =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null, UseProxy = false }) { BaseAddress = proxy.Client.BaseAddress };

    /// <summary>
    /// Every span exported once the host has stopped: a span ends after the answer has left (the client can
    /// read it first), and stopping waits for the request in flight and flushes the tracer.
    /// </summary>
    private static async Task<List<Activity>> SpansAfterStopAsync(IAsyncDisposable host, List<Activity> spans)
    {
        await host.DisposeAsync();
        lock (spans)
        {
            return [.. spans];
        }
    }

    [Fact]
    public async Task TracingOn_AddsNoTraceHeaderToTheRequestSentToFingerprint()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        var spans = new List<Activity>();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, TracingOn(), Export(spans));

        using var client = ClientOf(proxy);
        using var response = await client.PostAsync("/fpjs/result", new StringContent("{}"));

        Assert.Equal(200, (int)response.StatusCode);
        var received = upstream.Single();
        Assert.All(TraceHeaders, name => Assert.False(received.HasHeader(name), name + " reached Fingerprint"));
        Assert.Contains(await SpansAfterStopAsync(proxy, spans), s => s.OperationName == ProxyActivitySource.Upstream);
    }

    [Fact]
    public async Task ForwardedRequest_HasARequestSpanAndAnUpstreamSpan_InTheClientsTrace()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        var spans = new List<Activity>();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, TracingOn(), Export(spans));
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fpjs/result?region=ap") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var client = ClientOf(proxy);
        (await client.SendAsync(request)).Dispose();

        var mine = (await SpansAfterStopAsync(proxy, spans)).Where(s => s.TraceId == traceId).ToList();
        var requestSpan = Assert.Single(mine, s => s.OperationName == ProxyActivitySource.Request);
        Assert.Equal("result", requestSpan.GetTagItem(ProxyMetrics.RouteAttribute));
        Assert.Equal(200, requestSpan.GetTagItem(ProxyMetrics.StatusCodeAttribute));
        Assert.Equal("ap", requestSpan.GetTagItem(ProxyMetrics.RegionAttribute));
        var upstreamSpan = Assert.Single(mine, s => s.OperationName == ProxyActivitySource.Upstream);
        Assert.Equal(requestSpan.SpanId, upstreamSpan.ParentSpanId);
        Assert.Equal(200, upstreamSpan.GetTagItem(ProxyMetrics.StatusCodeAttribute));
    }

    [Fact]
    public async Task UpstreamDown_MarksBothSpansAsErrors()
    {
        var spans = new List<Activity>();
        await using var proxy = await ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), TracingOn(), Export(spans));
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fpjs/agent?apiKey=K");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var client = ClientOf(proxy);
        (await client.SendAsync(request)).Dispose();

        var mine = (await SpansAfterStopAsync(proxy, spans)).Where(s => s.TraceId == traceId).ToList();
        var requestSpan = Assert.Single(mine, s => s.OperationName == ProxyActivitySource.Request);
        Assert.Equal(ActivityStatusCode.Error, requestSpan.Status);
        Assert.Equal("unreachable", requestSpan.GetTagItem(ProxyMetrics.ErrorTypeAttribute));
        Assert.Equal(ActivityStatusCode.Error, Assert.Single(mine, s => s.OperationName == ProxyActivitySource.Upstream).Status);
    }

    [Fact]
    public async Task OnLambda_TheRequestSpanJoinsTheInvocationsXRayTrace_WhichStaysOffTheUpstreamRequest()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        await using var upstream = await FakeFingerprint.StartAsync();
        var spans = new List<Activity>();
        await using var host = await LambdaProxyHost.StartAsync(runtime, upstream.Port, TracingOn(), Export(spans));
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var parent = ActivitySpanId.CreateRandom().ToHexString();

        var result = await runtime.InvokeAsync(
            FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody).ToJsonString(),
            traceId: $"Root=1-{traceId[..8]}-{traceId[8..]};Parent={parent};Sampled=1");

        Assert.Equal(200, result.StatusCode);
        var requestSpan = Assert.Single(await SpansAfterStopAsync(host, spans), s => s.OperationName == ProxyActivitySource.Request && s.TraceId.ToHexString() == traceId);
        Assert.Equal(parent, requestSpan.ParentSpanId.ToHexString());
        Assert.True(requestSpan.Recorded);
        var received = upstream.Single();
        Assert.All(TraceHeaders.Append("X-Amzn-Trace-Id"), name => Assert.False(received.HasHeader(name), name + " reached Fingerprint"));
    }
}
