using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FingerprintProxy.Hosting.AwsLambda.Tests;

public sealed class LambdaHostingOptionsTests
{
    [Fact]
    public async Task BeforeInvocationAsync_RunsBeforeEachInvocation_WithTheApplicationsServices()
    {
        var clock = new FakeTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        await using var app = await TestApp.StartLambdaAsync(
            runtime,
            clock,
            custom: context =>
            {
                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync(context.RequestServices.GetRequiredService<HookCounter>().Calls.ToString(System.Globalization.CultureInfo.InvariantCulture));
            },
            options: o => o.BeforeInvocationAsync = (services, _) =>
            {
                services.GetRequiredService<HookCounter>().Calls++;
                return Task.CompletedTask;
            },
            configure: builder => builder.Services.AddSingleton<HookCounter>());

        var first = await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString());
        var second = await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString());

        Assert.Equal("1", first.BodyText);
        Assert.Equal("2", second.BodyText);
    }

    [Fact]
    public async Task BeforeInvocationAsync_WaitsForTheHook_BeforeServing()
    {
        var clock = new FakeTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        var hookEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartLambdaAsync(runtime, clock, options: o => o.BeforeInvocationAsync = async (_, _) =>
        {
            hookEntered.SetResult();
            await release.Task;
        });

        var invocation = runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString());
        await hookEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var requestsWhileHookRuns = app.Requests;
        release.SetResult();
        var result = await invocation;

        Assert.Equal(0, requestsWhileHookRuns);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(1, app.Requests);
    }

    [Fact]
    public async Task BeforeInvocationAsync_Throwing_IsLogged_AndTheInvocationIsServedAnyway()
    {
        var clock = new FakeTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        await using var app = await TestApp.StartLambdaAsync(runtime, clock, options: o =>
            o.BeforeInvocationAsync = (_, _) => throw new InvalidOperationException("Refresh failed."));

        var result = await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString());

        Assert.False(result.IsError);
        Assert.Equal(200, result.StatusCode);
        var entry = Assert.Single(app.ServerLogs, e => e.Id.Id == 11);
        Assert.Equal("Refresh failed.", entry.Exception?.Message);
        Assert.Contains(result.RequestId, entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeforeInvocationAsync_FaultedTask_IsLogged_AndTheInvocationIsServedAnyway()
    {
        var clock = new FakeTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        await using var app = await TestApp.StartLambdaAsync(runtime, clock, options: o =>
            o.BeforeInvocationAsync = async (_, cancellationToken) =>
            {
                await Task.Yield();
                throw new OperationCanceledException("Gave up waiting.", cancellationToken);
            });

        var result = await runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString());

        Assert.Equal(200, result.StatusCode);
        Assert.Contains(app.ServerLogs, e => e.Id.Id == 11 && e.Exception is OperationCanceledException);
    }

    [Theory]
    [InlineData(null, 2799, 200)]
    [InlineData(null, 2800, 504)]
    [InlineData(2000, 999, 200)]
    [InlineData(2000, 1000, 504)]
    public async Task DeadlineMargin_AbortsTheRequestThatLongBeforeTheDeadline(int? marginMs, int elapsedMs, int expectedStatus)
    {
        var clock = new FakeTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartLambdaAsync(
            runtime,
            clock,
            custom: async context =>
            {
                started.SetResult();
                await proceed.Task;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(context.RequestAborted.IsCancellationRequested ? "aborted" : "in time");
            },
            options: o =>
            {
                if (marginMs is { } margin)
                {
                    o.DeadlineMargin = TimeSpan.FromMilliseconds(margin);
                }
            });

        var invocation = runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString(), deadline: clock.GetUtcNow().AddSeconds(3));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromMilliseconds(elapsedMs));
        proceed.SetResult();
        var result = await invocation;

        Assert.Equal(expectedStatus, result.StatusCode);
        if (expectedStatus == 200)
        {
            Assert.Equal("in time", result.BodyText);
        }
    }

    [Fact]
    public async Task DeadlineMargin_Negative_FailsStartUp()
    {
        var clock = new FakeTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        await using var app = TestApp.Create([runtime.Argument], options: o => o.DeadlineMargin = TimeSpan.FromMilliseconds(-1));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.App.StartAsync());

        Assert.Contains("DeadlineMargin must not be negative.", failure.Failures);
        Assert.Equal(0, runtime.NextCalls);
    }

    [Fact]
    public void Defaults_DeadlineMarginIs200Ms_AndNoHook()
    {
        var options = new LambdaHostingOptions();

        Assert.Equal(TimeSpan.FromMilliseconds(200), options.DeadlineMargin);
        Assert.Null(options.BeforeInvocationAsync);
    }

    private sealed class HookCounter
    {
        public int Calls { get; set; }
    }
}
