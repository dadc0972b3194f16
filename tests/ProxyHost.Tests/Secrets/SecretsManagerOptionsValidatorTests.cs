using FingerprintProxy.Secrets;

namespace FingerprintProxy.Tests.Secrets;

public sealed class SecretsManagerOptionsValidatorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(300)]
    [InlineData(86_400)]
    public void Validate_RefreshInRange_Succeeds(double seconds)
    {
        var result = new SecretsManagerOptionsValidator().Validate(null, Options(refreshSeconds: seconds));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.5)]
    [InlineData(-300)]
    [InlineData(86_401)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_RefreshOutOfRange_FailsNamingTheSetting(double seconds)
    {
        var result = new SecretsManagerOptionsValidator().Validate(null, Options(refreshSeconds: seconds));

        Assert.True(result.Failed);
        Assert.Contains("FPJS_SECRET_REFRESH_SECONDS must be a number of seconds between 1 and 86400.", result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    [InlineData(double.NaN)]
    public void Validate_TimeoutOutOfRange_FailsNamingTheSetting(double seconds)
    {
        var result = new SecretsManagerOptionsValidator().Validate(null, Options(timeoutSeconds: seconds));

        Assert.True(result.Failed);
        Assert.Contains("FPJS_SECRET_TIMEOUT_SECONDS", result.FailureMessage);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsAllAtOnce()
    {
        var result = new SecretsManagerOptionsValidator().Validate(null, new SecretsManagerOptions
        {
            SecretName = "fpjs",
            RefreshSeconds = 0,
            TimeoutSeconds = 0,
            SecretRegion = "Not A Region",
        });

        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void Validate_NoSecretName_Skips()
    {
        var result = new SecretsManagerOptionsValidator().Validate(null, new SecretsManagerOptions { RefreshSeconds = -1 });

        Assert.True(result.Skipped);
    }

    private static SecretsManagerOptions Options(double refreshSeconds = 300, double timeoutSeconds = 5) => new()
    {
        SecretName = "fpjs",
        SecretRegion = "eu-west-1",
        RefreshSeconds = refreshSeconds,
        TimeoutSeconds = timeoutSeconds,
    };
}
