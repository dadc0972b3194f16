using Microsoft.Extensions.Configuration;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests;

public sealed class SecretsManagerConfigurationExtensionsTests
{
    [Fact]
    public void AddSecretsManager_AddsOneConfiguredSourceLast()
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection();

        var returned = builder.AddSecretsManager(source =>
        {
            source.SecretId = "app";
            source.ReloadAfter = TimeSpan.FromMinutes(5);
        });

        Assert.Same(builder, returned);
        var source = Assert.IsType<SecretsManagerConfigurationSource>(builder.Sources[^1]);
        Assert.Equal("app", source.SecretId);
        Assert.Equal(TimeSpan.FromMinutes(5), source.ReloadAfter);
    }

    [Fact]
    public void AddSecretsManager_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => SecretsManagerConfigurationExtensions.AddSecretsManager(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => new ConfigurationBuilder().AddSecretsManager(null!));
    }
}
