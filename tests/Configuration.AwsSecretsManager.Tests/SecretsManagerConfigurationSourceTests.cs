using Amazon.Extensions.NETCore.Setup;
using Microsoft.Extensions.Configuration;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests;

public sealed class SecretsManagerConfigurationSourceTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var source = new SecretsManagerConfigurationSource();

        Assert.Null(source.SecretId);
        Assert.Equal("AWSCURRENT", source.VersionStage);
        Assert.Null(source.AwsOptions);
        Assert.Null(source.ReloadAfter);
        Assert.Equal(0.1, source.ReloadJitter);
        Assert.Equal(TimeSpan.FromSeconds(5), source.InitialLoadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), source.RequestTimeout);
        Assert.Equal(3, source.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(60), source.MaxFailureDelay);
        Assert.False(source.Optional);
        Assert.Null(source.KeyFilter);
        Assert.Same(TimeProvider.System, source.TimeProvider);
        Assert.Null(source.OnLoadException);
    }

    [Fact]
    public void Build_WithoutSecretId_ThrowsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ConfigurationBuilder().AddSecretsManager(_ => { }).Build());

        Assert.Equal("AWS Secrets Manager configuration: SecretId is not set: give the name or ARN of the secret.", error.Message);
    }

    [Theory]
    [InlineData(nameof(SecretsManagerConfigurationSource.VersionStage), "VersionStage must not be empty.")]
    [InlineData(nameof(SecretsManagerConfigurationSource.ReloadAfter), "ReloadAfter must be positive, or null to load once.")]
    [InlineData(nameof(SecretsManagerConfigurationSource.ReloadJitter), "ReloadJitter must be between 0 and 0.5.")]
    [InlineData(nameof(SecretsManagerConfigurationSource.InitialLoadTimeout), "InitialLoadTimeout must not be negative.")]
    [InlineData(nameof(SecretsManagerConfigurationSource.RequestTimeout), "RequestTimeout must be positive.")]
    [InlineData(nameof(SecretsManagerConfigurationSource.MaxAttempts), "MaxAttempts must be between 1 and 10.")]
    [InlineData(nameof(SecretsManagerConfigurationSource.MaxFailureDelay), "MaxFailureDelay must be positive.")]
    [InlineData(nameof(SecretsManagerConfigurationSource.TimeProvider), "TimeProvider must not be null.")]
    [InlineData(nameof(AWSOptions.SessionRoleArn), "AwsOptions.SessionRoleArn is not supported")]
    public void Build_InvalidOption_ThrowsNamingIt(string option, string message)
    {
        var source = SecretsManagerTargetTests.Source("app", "eu-west-1");
        switch (option)
        {
            case nameof(source.VersionStage): source.VersionStage = " "; break;
            case nameof(source.ReloadAfter): source.ReloadAfter = TimeSpan.Zero; break;
            case nameof(source.ReloadJitter): source.ReloadJitter = 0.6; break;
            case nameof(source.InitialLoadTimeout): source.InitialLoadTimeout = TimeSpan.FromSeconds(-2); break;
            case nameof(source.RequestTimeout): source.RequestTimeout = TimeSpan.Zero; break;
            case nameof(source.MaxAttempts): source.MaxAttempts = 0; break;
            case nameof(source.MaxFailureDelay): source.MaxFailureDelay = TimeSpan.Zero; break;
            case nameof(source.TimeProvider): source.TimeProvider = null!; break;
            case nameof(AWSOptions.SessionRoleArn): source.AwsOptions!.SessionRoleArn = "arn:aws:iam::123456789012:role/app"; break;
        }

        var error = Assert.Throws<InvalidOperationException>(() => source.Build(new ConfigurationBuilder()));

        Assert.StartsWith("AWS Secrets Manager configuration: ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Build_SeveralInvalidOptions_ReportsThemAll()
    {
        var source = SecretsManagerTargetTests.Source("app", "eu-west-1");
        source.MaxAttempts = 0;
        source.RequestTimeout = TimeSpan.Zero;

        var error = Assert.Throws<InvalidOperationException>(() => source.Build(new ConfigurationBuilder()));

        Assert.Contains("MaxAttempts", error.Message);
        Assert.Contains("RequestTimeout", error.Message);
    }

    [Fact]
    public void Build_ValidOptions_GivesAProviderThatHasNotReadYet()
    {
        var source = SecretsManagerTargetTests.Source("app", "eu-west-1");
        source.InitialLoadTimeout = Timeout.InfiniteTimeSpan;

        using var provider = Assert.IsType<SecretsManagerConfigurationProvider>(source.Build(new ConfigurationBuilder()));

        Assert.Same(source, provider.Source);
        Assert.Equal("app (eu-west-1)", provider.State.Target);
        Assert.False(provider.State.Loaded);
        Assert.Null(provider.State.LastAttempt);
    }
}
