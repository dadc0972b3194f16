using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests;

// Some rows set AWS_* variables: the class runs alone, after the parallel tests.
[Collection(nameof(EnvironmentTests))]
public sealed class SecretsManagerTargetTests
{
    private const string Arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:app/settings-AbCdEf";

    [Theory]
    // SecretId, AwsOptions.Region, ServiceURL -> region, endpoint
    [InlineData("app", "eu-west-1", null, "eu-west-1", "https://secretsmanager.eu-west-1.amazonaws.com/")]
    [InlineData(Arn, null, null, "eu-central-1", "https://secretsmanager.eu-central-1.amazonaws.com/")]
    [InlineData(Arn, "eu-central-1", null, "eu-central-1", "https://secretsmanager.eu-central-1.amazonaws.com/")]
    [InlineData("app", "cn-north-1", null, "cn-north-1", "https://secretsmanager.cn-north-1.amazonaws.com.cn/")]
    [InlineData("app", "us-gov-west-1", null, "us-gov-west-1", "https://secretsmanager.us-gov-west-1.amazonaws.com/")]
    [InlineData("app", "eu-west-1", "http://127.0.0.1:4566", "eu-west-1", "http://127.0.0.1:4566/")]
    [InlineData("app", "eu-west-1", " https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com/ ", "eu-west-1", "https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com/")]
    public void Resolve_RegionAndEndpoint_FollowTheOptions(string secretId, string? region, string? serviceUrl, string expectedRegion, string expectedEndpoint)
    {
        var target = SecretsManagerTarget.Resolve(Source(secretId, region, serviceUrl));

        Assert.Equal(expectedRegion, target.Region);
        Assert.Equal(new Uri(expectedEndpoint), target.Endpoint);
        Assert.Equal($"{secretId} ({expectedRegion})", target.Description);
    }

    [Fact]
    public void Resolve_SecretIdWithSpaces_IsTrimmed()
    {
        Assert.Equal("app", SecretsManagerTarget.Resolve(Source("  app ", "eu-west-1")).SecretId);
    }

    [Theory]
    [InlineData(null, "eu-west-1", null, "SecretId is not set: give the name or ARN of the secret.")]
    [InlineData("  ", "eu-west-1", null, "SecretId is not set")]
    [InlineData(Arn, "us-east-1", null, "AwsOptions.Region is us-east-1 but the ARN in SecretId is in eu-central-1.")]
    [InlineData("arn:aws:secretsmanager:eu-west-1.example.com/x:1:secret:x", null, null, "must be a region name such as eu-west-1")]
    [InlineData("app", "eu-west-1", "ftp://example.com", "AwsOptions.DefaultClientConfig.ServiceURL must be an absolute http or https URL")]
    [InlineData("app", "eu-west-1", "not a url", "AwsOptions.DefaultClientConfig.ServiceURL must be")]
    [InlineData("app", "eu-west-1", "http://user:pw@127.0.0.1/", "AwsOptions.DefaultClientConfig.ServiceURL must be")]
    [InlineData("app", "eu-west-1", "http://127.0.0.1/?a=b", "AwsOptions.DefaultClientConfig.ServiceURL must be")]
    [InlineData("app", null, null, "No AWS region for secret app: set AwsOptions.Region, use the secret's ARN, or set AWS_REGION.")]
    public void Resolve_InvalidOptions_ThrowsNamingTheOption(string? secretId, string? region, string? serviceUrl, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SecretsManagerTarget.Resolve(Source(secretId, region, serviceUrl)));

        Assert.StartsWith("AWS Secrets Manager configuration: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Resolve_LongerThanAnArn_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SecretsManagerTarget.Resolve(Source(new string('a', 2049), "eu-west-1")));

        Assert.Contains("longer than 2048 characters", error.Message);
    }

    [Fact]
    public void Resolve_ProfileWithRegion_UsesTheProfilesRegion()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "[app]\naws_access_key_id = AKID\naws_secret_access_key = secret\nregion = ap-southeast-2\n");

            var target = SecretsManagerTarget.Resolve(new SecretsManagerConfigurationSource
            {
                SecretId = "app",
                AwsOptions = new AWSOptions { Profile = "app", ProfilesLocation = file },
            });

            Assert.Equal("ap-southeast-2", target.Region);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:eu-west-1:123456789012:secret:a:b", "eu-west-1")]
    [InlineData("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x", "cn-north-1")]
    [InlineData("arn:aws:ssm:eu-west-1:123456789012:parameter/x", null)]
    [InlineData("my-secret", null)]
    [InlineData("arn:aws:secretsmanager::123:secret:x", null)]
    public void RegionOfArn_ReadsTheFourthField(string secretId, string? expected)
    {
        Assert.Equal(expected, SecretsManagerTarget.RegionOfArn(secretId));
    }

    [Theory]
    // AWS_REGION, AWS_DEFAULT_REGION, AwsOptions.Region -> region
    [InlineData("us-east-2", "ap-south-1", null, "us-east-2")]
    [InlineData(null, "ap-south-1", null, "ap-south-1")]
    [InlineData("us-east-2", "ap-south-1", "eu-north-1", "eu-north-1")]
    public void Resolve_RegionFromTheEnvironment_ComesAfterTheOptions(string? awsRegion, string? defaultRegion, string? optionsRegion, string expected)
    {
        var target = WithEnvironment(
            new() { ["AWS_REGION"] = awsRegion, ["AWS_DEFAULT_REGION"] = defaultRegion },
            () => SecretsManagerTarget.Resolve(Source("app", optionsRegion)));

        Assert.Equal(expected, target.Region);
    }

    [Theory]
    // AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, ServiceURL -> endpoint
    [InlineData("http://127.0.0.1:4566", "http://127.0.0.1:9999", null, null, "http://127.0.0.1:4566/")]
    [InlineData(null, "http://localhost:4566/", null, null, "http://localhost:4566/")]
    [InlineData("http://127.0.0.1:4566", null, "false", null, "http://127.0.0.1:4566/")]
    [InlineData("http://127.0.0.1:4566", "http://127.0.0.1:9999", "TRUE", null, "https://secretsmanager.eu-west-1.amazonaws.com/")]
    [InlineData("http://127.0.0.1:4566", null, null, "http://127.0.0.1:7777", "http://127.0.0.1:7777/")]
    [InlineData("http://127.0.0.1:4566", null, "true", "http://127.0.0.1:7777", "http://127.0.0.1:7777/")]
    [InlineData(null, null, null, null, "https://secretsmanager.eu-west-1.amazonaws.com/")]
    public void Resolve_EndpointVariables_ComeAfterServiceUrlUnlessIgnored(string? serviceVariable, string? globalVariable, string? ignore, string? serviceUrl, string expected)
    {
        var target = WithEnvironment(
            new()
            {
                ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = serviceVariable,
                ["AWS_ENDPOINT_URL"] = globalVariable,
                ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = ignore,
            },
            () => SecretsManagerTarget.Resolve(Source("app", "eu-west-1", serviceUrl)));

        Assert.Equal(new Uri(expected), target.Endpoint);
    }

    [Fact]
    public void Resolve_IgnoreConfiguredEndpointUrlsOption_SkipsTheVariables()
    {
        var source = Source("app", "eu-west-1");
        source.AwsOptions!.DefaultClientConfig.IgnoreConfiguredEndpointUrls = true;

        var target = WithEnvironment(new() { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566" }, () => SecretsManagerTarget.Resolve(source));

        Assert.Equal(new Uri("https://secretsmanager.eu-west-1.amazonaws.com/"), target.Endpoint);
    }

    [Fact]
    public void Resolve_InvalidEndpointVariable_ThrowsNamingTheVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WithEnvironment(
            new() { ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "127.0.0.1:4566" },
            () => SecretsManagerTarget.Resolve(Source("app", "eu-west-1"))));

        Assert.Contains("AWS_ENDPOINT_URL_SECRETS_MANAGER must be an absolute http or https URL", error.Message);
    }

    private static T WithEnvironment<T>(Dictionary<string, string?> variables, Func<T> action)
    {
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        // The SDK caches the region it found.
        FallbackRegionFactory.Reset();
        try
        {
            return action();
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            FallbackRegionFactory.Reset();
        }
    }

    internal static SecretsManagerConfigurationSource Source(string? secretId, string? region, string? serviceUrl = null)
    {
        var options = new AWSOptions { Credentials = new BasicAWSCredentials("AKID", "secret") };
        if (region is not null)
        {
            options.Region = RegionEndpoint.GetBySystemName(region);
        }

        options.DefaultClientConfig.ServiceURL = serviceUrl;
        return new SecretsManagerConfigurationSource { SecretId = secretId, AwsOptions = options };
    }
}
