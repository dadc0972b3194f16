using FingerprintProxy.Configuration;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Tests.Configuration;

public sealed class ProxyOptionsValidatorTests
{
    private static ProxyOptionsValidator Validator(params (string Key, string Value)[] configuration) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(configuration.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value))).Build());

    [Theory]
    [InlineData("fpjs", "agent", "result", "https://api.fpjs.io")]
    [InlineData("", "a", "r", "http://localhost:8080")]
    [InlineData("ore54guier", "Ab_-9", "x-y", "https://api.example.com")]
    [InlineData(null, null, null, null)]
    public void ValidSettings_Pass(string? behavior, string? agent, string? result, string? ingress)
    {
        var outcome = Validator().Validate(null, new ProxyOptions
        {
            BehaviorPath = behavior, AgentDownloadPath = agent, GetResultPath = result, IngressBaseUrl = ingress,
        });

        Assert.True(outcome.Succeeded, outcome.FailureMessage);
    }

    [Theory]
    [InlineData("a/b", null, null, null, "FPJS_BEHAVIOR_PATH")]
    [InlineData("../x", null, null, null, "FPJS_BEHAVIOR_PATH")]
    [InlineData(null, "a b", null, null, "FPJS_AGENT_DOWNLOAD_PATH")]
    [InlineData(null, "", null, null, "FPJS_AGENT_DOWNLOAD_PATH")]
    [InlineData(null, null, "r%2F", null, "FPJS_GET_RESULT_PATH")]
    [InlineData(null, "same", "same", null, "must differ")]
    [InlineData(null, "status", null, null, "status")]
    [InlineData(null, null, null, "api.fpjs.io", "FPJS_INGRESS_BASE_URL")]
    [InlineData(null, null, null, "ftp://api.fpjs.io", "FPJS_INGRESS_BASE_URL")]
    [InlineData(null, null, null, "https://api.fpjs.io/path", "FPJS_INGRESS_BASE_URL")]
    [InlineData(null, null, null, "https://api.fpjs.io?x=1", "FPJS_INGRESS_BASE_URL")]
    [InlineData(null, null, null, "https://127.0.0.1", "FPJS_INGRESS_BASE_URL")]
    [InlineData(null, null, null, "https://user:pw@api.fpjs.io", "FPJS_INGRESS_BASE_URL")]
    public void InvalidSetting_FailsNamingTheSetting(string? behavior, string? agent, string? result, string? ingress, string expectedInMessage)
    {
        var outcome = Validator().Validate(null, new ProxyOptions
        {
            BehaviorPath = behavior, AgentDownloadPath = agent, GetResultPath = result, IngressBaseUrl = ingress,
        });

        Assert.True(outcome.Failed);
        Assert.Contains(expectedInMessage, outcome.FailureMessage);
    }

    [Theory]
    [InlineData("secret\r\nX-Injected: 1")]
    [InlineData("sécret")]
    [InlineData(" padded ")]
    [InlineData("tab\there")]
    public void BrokenHeaderValuedSecret_FailsWithoutEchoingIt(string secret)
    {
        var outcome = Validator().Validate(null, new ProxyOptions { PreSharedSecret = secret, OriginVerifySecret = secret });

        Assert.True(outcome.Failed);
        Assert.Contains("FPJS_PRE_SHARED_SECRET", outcome.FailureMessage);
        Assert.Contains("FPJS_ORIGIN_VERIFY_SECRET", outcome.FailureMessage);
        Assert.DoesNotContain(secret, outcome.FailureMessage);
    }

    [Fact]
    public void SeveralErrors_AreAllReportedAtOnce()
    {
        var outcome = Validator().Validate(null, new ProxyOptions
        {
            BehaviorPath = "a/b", AgentDownloadPath = "x y", IngressBaseUrl = "nope", ConnectTimeoutSeconds = -1, MaxRequestBodyBytes = 0,
        });

        Assert.Equal(5, outcome.Failures!.Count());
    }

    [Theory]
    [InlineData("cloudfront-origin")]
    [InlineData("lambda-edge")]
    public void TrustedViewerContext_WithoutOriginVerification_FailsNamingTheSettings(string mode)
    {
        var outcome = Validator().Validate(null, new ProxyOptions { ViewerContext = mode });

        Assert.True(outcome.Failed);
        Assert.Contains("FPJS_VIEWER_CONTEXT=" + mode, outcome.FailureMessage);
        Assert.Contains("FPJS_ORIGIN_VERIFY_SECRET", outcome.FailureMessage);
    }

    [Theory]
    [InlineData("lambda-edge", "AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")]
    [InlineData("lambda-edge", "FPJS_SECRET_NAME", "prod/proxy")]
    [InlineData("cloudfront-origin", "FPJS_SECRET_NAME", "prod/proxy")]
    public void TrustedViewerContext_IsAllowed_OnLambdaOrWithASecretThatMayHoldTheValue(string mode, string key, string value)
    {
        var outcome = Validator((key, value)).Validate(null, new ProxyOptions { ViewerContext = mode });

        Assert.True(outcome.Succeeded, outcome.FailureMessage);
    }

    [Fact]
    public void CloudFrontOrigin_OnLambda_StillNeedsOriginVerification()
    {
        var outcome = Validator(("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")).Validate(null, new ProxyOptions { ViewerContext = "cloudfront-origin" });

        Assert.True(outcome.Failed);
    }

    [Fact]
    public async Task InvalidConfiguration_StopsStartup_WithEveryErrorNamed()
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ProxyServer.StartAsync(FakeFingerprint.ClosedPort(), ["--FPJS_BEHAVIOR_PATH=a/b", "--FPJS_INGRESS_BASE_URL=not a url"]));

        Assert.Contains("FPJS_BEHAVIOR_PATH", exception.Message);
        Assert.Contains("FPJS_INGRESS_BASE_URL", exception.Message);
    }
}
