namespace FingerprintProxy.Tests.Lambda;

/// <summary>Tests that read the process-wide <c>_X_AMZN_TRACE_ID</c>: they run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class LambdaTraceTests
{
    [Fact]
    public async Task TraceId_IsSetInTheEnvironment_AndOverwritesTheRequestHeader()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync();
        await using var host = await LambdaProxyHost.StartAsync(runtime, 1, configure: TestEndpoints.Add());
        const string traceId = "Root=1-673ef9df-3c2b1a0e5d6f7a8b9c0d1e2f;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0";
        var evt = FunctionUrlEvents.Create("GET", "/__test/echo").WithHeader("x-amzn-trace-id", "Root=1-00000000-000000000000000000000000");

        var result = await runtime.InvokeAsync(evt.ToJsonString(), traceId: traceId);

        var echo = result.BodyJson;
        Assert.Equal(traceId, (string?)echo["traceEnvironment"]);
        var header = Assert.Single(echo["headers"]!.AsObject(), h => h.Key.Equals("X-Amzn-Trace-Id", StringComparison.OrdinalIgnoreCase));
        Assert.Equal([traceId], header.Value!.AsArray().Select(v => (string?)v));
        Assert.Equal(result.RequestId, (string?)echo["traceIdentifier"]);
    }

    [Fact]
    public async Task NoTraceId_ClearsThePreviousOne()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync();
        await using var host = await LambdaProxyHost.StartAsync(runtime, 1, configure: TestEndpoints.Add());

        await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/echo").ToJsonString(), traceId: "Root=1-673ef9df-3c2b1a0e5d6f7a8b9c0d1e2f");
        var result = await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/echo").ToJsonString());

        Assert.Null((string?)result.BodyJson["traceEnvironment"]);
    }
}
