using System.Net;
using System.Net.Sockets;
using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FingerprintProxy.Hosting.AwsLambda.Tests;

/// <summary>A start-up failure in Lambda mode reaches the Runtime API's <c>/init/error</c>.</summary>
public sealed class LambdaStartupFailureTests
{
    [Fact]
    public async Task InvalidConfiguration_IsReportedToInitError_WithEveryFailureNamed()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync(new FakeTimeProvider());
        await using var app = TestApp.Create([runtime.Argument, "--SAMPLE_PATH=a/b"], configure: builder =>
            builder.Services.AddOptions<SampleOptions>()
                .Configure<IConfiguration>((o, c) => o.Path = c["SAMPLE_PATH"])
                .Validate(o => o.Path?.Contains('/') != true, "SAMPLE_PATH must be one path segment.")
                .Validate(o => o.Path?.Length > 3, "SAMPLE_PATH must be longer than 3 characters.")
                .ValidateOnStart());

        // What an application's Program.cs does when its start-up fails.
        var failure = await Record.ExceptionAsync(() => app.App.StartAsync());
        Assert.NotNull(failure);
        Assert.True(LambdaStartupFailure.IsLambda(app.App.Configuration));
        var reported = await LambdaStartupFailure.ReportAsync(app.App.Configuration, failure);

        Assert.True(reported);
        var error = await runtime.InitError.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Runtime.ConfigInvalid", error.ErrorTypeHeader);
        Assert.Equal("Runtime.ConfigInvalid", (string?)error.Document["errorType"]);
        Assert.Equal(
            "Invalid configuration: SAMPLE_PATH must be one path segment. SAMPLE_PATH must be longer than 3 characters.",
            (string?)error.Document["errorMessage"]);
        Assert.Equal(0, runtime.NextCalls);
    }

    [Fact]
    public async Task ReportAsync_RuntimeApiUnreachable_ReturnsFalseWithoutThrowing()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([$"--AWS_LAMBDA_RUNTIME_API=127.0.0.1:{ClosedPort()}"]).Build();

        Assert.True(LambdaStartupFailure.IsLambda(configuration));
        Assert.False(await LambdaStartupFailure.ReportAsync(configuration, new InvalidOperationException("x")));
    }

    [Fact]
    public async Task ReportAsync_OutsideLambda_ReportsNothing()
    {
        var configuration = new ConfigurationBuilder().Build();

        Assert.False(LambdaStartupFailure.IsLambda(configuration));
        Assert.False(await LambdaStartupFailure.ReportAsync(configuration, new InvalidOperationException("x")));
    }

    [Fact]
    public void Describe_SeveralValidationFailures_AreAllInTheMessage()
    {
        var exception = new AggregateException(
            new OptionsValidationException("a", typeof(object), ["SAMPLE_PATH must be a token."]),
            new OptionsValidationException("b", typeof(object), ["SAMPLE_SIZE must be positive."]));

        var error = LambdaStartupFailure.Describe(exception);

        Assert.Equal("Runtime.ConfigInvalid", error.ErrorType);
        Assert.Equal("Invalid configuration: SAMPLE_PATH must be a token. SAMPLE_SIZE must be positive.", error.ErrorMessage);
    }

    [Fact]
    public void Describe_OtherExceptions_NameTheirType()
    {
        var error = LambdaStartupFailure.Describe(new InvalidOperationException("boom"));

        Assert.Equal("Runtime.InitError", error.ErrorType);
        Assert.Equal("InvalidOperationException: boom", error.ErrorMessage);
    }

    /// <summary>A loopback port that nothing listens on.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class SampleOptions
    {
        public string? Path { get; set; }
    }
}
