using FingerprintProxy.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Tests.Telemetry;

public sealed class TelemetryOptionsValidatorTests
{
    [Theory]
    [InlineData(null, "FingerprintProxy", true)]
    [InlineData("json", "FingerprintProxy", true)]
    [InlineData(" TEXT ", "My/Proxy", true)]
    [InlineData("xml", "FingerprintProxy", false)]
    [InlineData("json", "AWS/Lambda", false)]
    [InlineData("json", "a:b", false)]
    [InlineData("json", " ", false)]
    public void Validate_ChecksFormatAndNamespace(string? format, string ns, bool valid)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { LogFormat = format, MetricsNamespace = ns });
        Assert.Equal(valid, result.Succeeded);
    }

    [Theory]
    [InlineData(null, true, true)]
    [InlineData(null, false, false)]
    [InlineData("text", true, false)]
    [InlineData("json", false, true)]
    public void JsonLogs_DefaultToJsonOnLambdaOnly(string? format, bool onLambda, bool json) =>
        Assert.Equal(json, new TelemetryOptions { LogFormat = format }.JsonLogs(onLambda));

    [Fact]
    public void InvalidTelemetrySettings_StopTheHostBeforeItIsBuilt_EachNamed()
    {
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.Configuration.AddCommandLine(["--FPJS_LOG_FORMAT=xml", "--FPJS_METRICS_NAMESPACE=AWS/Lambda"]);

        var exception = Assert.Throws<OptionsValidationException>(() => builder.AddProxyTelemetry());

        Assert.Contains(TelemetryOptions.LogFormatKey + " must be json or text.", exception.Message);
        Assert.Contains(TelemetryOptions.NamespaceKey, exception.Message);
        Assert.StartsWith("Invalid configuration: FPJS_LOG_FORMAT", global::FingerprintProxy.Health.StartupFailure.Describe(exception));
    }
}
