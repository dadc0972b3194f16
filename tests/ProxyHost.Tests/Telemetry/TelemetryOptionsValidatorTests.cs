using FingerprintProxy.Telemetry;

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
}
