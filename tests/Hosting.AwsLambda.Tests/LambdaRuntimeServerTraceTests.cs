using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace FingerprintProxy.Hosting.AwsLambda.Tests;

/// <summary>Tests that read the process-wide <c>_X_AMZN_TRACE_ID</c>: they run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class LambdaRuntimeServerTraceTests
{
    private const string TraceId = "Root=1-673ef9df-3c2b1a0e5d6f7a8b9c0d1e2f;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0";

    [Fact]
    public async Task TraceId_IsSetInTheEnvironment_AndOverwritesTheRequestHeader()
    {
        var clock = new FakeTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        await using var app = await TestApp.StartLambdaAsync(runtime, clock);
        var evt = FunctionUrlEvents.Create("GET", "/echo").WithHeader("x-amzn-trace-id", "Root=1-00000000-000000000000000000000000");

        var result = await runtime.InvokeAsync(evt.ToJsonString(), traceId: TraceId);

        var echo = result.BodyJson;
        Assert.Equal(TraceId, (string?)echo["traceEnvironment"]);
        var header = Assert.Single(echo["headers"]!.AsObject(), h => h.Key.Equals("X-Amzn-Trace-Id", StringComparison.OrdinalIgnoreCase));
        Assert.Equal([TraceId], header.Value!.AsArray().Select(v => (string?)v));
        Assert.Equal(result.RequestId, (string?)echo["traceIdentifier"]);
    }

    [Fact]
    public async Task NoTraceId_ClearsThePreviousOne()
    {
        var clock = new FakeTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        await using var app = await TestApp.StartLambdaAsync(runtime, clock);

        await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString(), traceId: TraceId);
        var result = await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString());

        Assert.Null((string?)result.BodyJson["traceEnvironment"]);
    }

    [Fact]
    public async Task TraceId_IsInTheEnvironment_WhileBeforeInvocationAsyncRuns()
    {
        var clock = new FakeTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        string? seenByHook = null;
        await using var app = await TestApp.StartLambdaAsync(runtime, clock, options: o => o.BeforeInvocationAsync = (_, _) =>
        {
            seenByHook = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID");
            return Task.CompletedTask;
        });

        await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString(), traceId: TraceId);

        Assert.Equal(TraceId, seenByHook);
    }
}
