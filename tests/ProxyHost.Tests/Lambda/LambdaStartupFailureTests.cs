using System.Diagnostics;
using FingerprintProxy.Lambda;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Tests.Lambda;

/// <summary>A start-up failure in Lambda mode reaches the Runtime API's <c>/init/error</c>.</summary>
public sealed class LambdaStartupFailureTests
{
    [Fact]
    public async Task InvalidConfiguration_IsReportedToInitError_WithTheSettingNamed()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync();

        // What Program.cs does: the settings are validated while the app is built (the proxy resolves them
        // when it maps its endpoint) or at the latest when it starts; either failure is reported.
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var app = LambdaProxyHost.Create(runtime, FakeFingerprint.ClosedPort(), ["--FPJS_BEHAVIOR_PATH=a/b"], null, out _);
            await app.StartAsync();
        });
        Assert.NotNull(failure);
        // In Lambda the runtime address comes from the environment; here from the command line, as the host got it.
        var configuration = new ConfigurationBuilder().AddCommandLine([$"--AWS_LAMBDA_RUNTIME_API={runtime.Address}"]).Build();
        Assert.True(LambdaStartupFailure.IsLambda(configuration));
        var reported = await LambdaStartupFailure.ReportAsync(configuration, failure);

        Assert.True(reported);
        var error = await runtime.InitError.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("Runtime.ConfigInvalid", error.ErrorTypeHeader);
        Assert.Equal("Runtime.ConfigInvalid", (string?)error.Document["errorType"]);
        Assert.Contains("FPJS_BEHAVIOR_PATH", (string?)error.Document["errorMessage"], StringComparison.Ordinal);
        Assert.Equal(0, runtime.NextCalls);
    }

    [Fact]
    public async Task InvalidConfiguration_TheProcessReportsToInitError_AndExitsNonZero()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "ProxyHost"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.Address;
        start.Environment["FPJS_BEHAVIOR_PATH"] = "a/b";
        start.Environment["FPJS_PRE_SHARED_SECRET"] = "secret-that-must-not-be-printed";

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, process.ExitCode);
        var error = await runtime.InitError.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("FPJS_BEHAVIOR_PATH", (string?)error.Document["errorMessage"], StringComparison.Ordinal);
        Assert.Contains("FPJS_BEHAVIOR_PATH", await stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-that-must-not-be-printed", await stderr + await stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_SeveralValidationFailures_AreAllInTheMessage()
    {
        var exception = new AggregateException(
            new OptionsValidationException("a", typeof(object), ["FPJS_BEHAVIOR_PATH must be a token."]),
            new OptionsValidationException("b", typeof(object), ["FPJS_MAX_BODY_BYTES must be positive."]));

        var error = LambdaStartupFailure.Describe(exception);

        Assert.Equal("Runtime.ConfigInvalid", error.ErrorType);
        Assert.Equal("Invalid configuration: FPJS_BEHAVIOR_PATH must be a token. FPJS_MAX_BODY_BYTES must be positive.", error.ErrorMessage);
    }

    [Fact]
    public void Describe_OtherExceptions_NameTheirType()
    {
        var error = LambdaStartupFailure.Describe(new InvalidOperationException("boom"));

        Assert.Equal("Runtime.InitError", error.ErrorType);
        Assert.Equal("InvalidOperationException: boom", error.ErrorMessage);
    }

    [Fact]
    public async Task ReportAsync_OutsideLambda_ReportsNothing()
    {
        var configuration = new ConfigurationBuilder().Build();

        Assert.False(LambdaStartupFailure.IsLambda(configuration));
        Assert.False(await LambdaStartupFailure.ReportAsync(configuration, new InvalidOperationException("x")));
    }
}
