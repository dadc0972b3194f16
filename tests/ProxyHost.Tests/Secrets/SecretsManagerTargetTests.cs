using FingerprintProxy.Secrets;

namespace FingerprintProxy.Tests.Secrets;

public sealed class SecretsManagerTargetTests
{
    private const string Arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:fpjs/proxy-AbCdEf";

    [Theory]
    // FPJS_SECRET_REGION, AWS_REGION, AWS_DEFAULT_REGION -> region used
    [InlineData("eu-west-1", "us-east-1", "ap-south-1", "eu-west-1")]
    [InlineData(null, "us-east-1", "ap-south-1", "us-east-1")]
    [InlineData(null, null, "ap-south-1", "ap-south-1")]
    [InlineData(" ", " us-east-2 ", null, "us-east-2")]
    public void TryResolve_RegionByPrecedence_PicksTheFirstSet(string? secretRegion, string? awsRegion, string? defaultRegion, string expected)
    {
        var ok = SecretsManagerTarget.TryResolve(
            new SecretsManagerOptions { SecretName = "fpjs", SecretRegion = secretRegion, AwsRegion = awsRegion, AwsDefaultRegion = defaultRegion },
            out var target, out var errors);

        Assert.True(ok, string.Join(" ", errors));
        Assert.Equal(expected, target!.Region);
        Assert.Equal(new Uri($"https://secretsmanager.{expected}.amazonaws.com/"), target.Endpoint);
        Assert.Equal($"fpjs ({expected})", target.Description);
    }

    [Fact]
    public void TryResolve_ArnWithoutSecretRegion_UsesTheArnsRegionBeforeAwsRegion()
    {
        var ok = SecretsManagerTarget.TryResolve(new SecretsManagerOptions { SecretName = Arn, AwsRegion = "us-east-1" }, out var target, out _);

        Assert.True(ok);
        Assert.Equal("eu-central-1", target!.Region);
        Assert.Equal(Arn, target.SecretId);
    }

    [Fact]
    public void TryResolve_SecretRegionContradictingTheArn_IsAnError()
    {
        var ok = SecretsManagerTarget.TryResolve(new SecretsManagerOptions { SecretName = Arn, SecretRegion = "us-east-1" }, out _, out var errors);

        Assert.False(ok);
        Assert.Equal("FPJS_SECRET_REGION is us-east-1 but the ARN in FPJS_SECRET_NAME is in eu-central-1.", Assert.Single(errors));
    }

    [Fact]
    public void TryResolve_ChinaRegion_UsesThePartitionsDnsSuffix()
    {
        SecretsManagerTarget.TryResolve(new SecretsManagerOptions { SecretName = "fpjs", SecretRegion = "cn-north-1" }, out var target, out _);

        Assert.Equal(new Uri("https://secretsmanager.cn-north-1.amazonaws.com.cn/"), target!.Endpoint);
    }

    [Theory]
    // AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS -> endpoint
    [InlineData("http://127.0.0.1:4566", "http://127.0.0.1:9999", null, "http://127.0.0.1:4566/")]
    [InlineData(null, "http://localhost:4566/", null, "http://localhost:4566/")]
    [InlineData("https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com", null, "false", "https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com/")]
    [InlineData("http://127.0.0.1:4566", "http://127.0.0.1:9999", "TRUE", "https://secretsmanager.eu-west-1.amazonaws.com/")]
    [InlineData(null, null, null, "https://secretsmanager.eu-west-1.amazonaws.com/")]
    public void TryResolve_Endpoint_FollowsTheAwsVariables(string? serviceUrl, string? globalUrl, string? ignore, string expected)
    {
        var ok = SecretsManagerTarget.TryResolve(
            new SecretsManagerOptions
            {
                SecretName = "fpjs",
                SecretRegion = "eu-west-1",
                EndpointUrlSecretsManager = serviceUrl,
                EndpointUrl = globalUrl,
                IgnoreConfiguredEndpointUrls = ignore,
            },
            out var target, out _);

        Assert.True(ok);
        Assert.Equal(new Uri(expected), target!.Endpoint);
    }

    [Theory]
    [InlineData("fpjs", null, null, null, "FPJS_SECRET_REGION (or AWS_REGION) must be set when FPJS_SECRET_NAME is set.")]
    [InlineData("fpjs", "EU-WEST-1", null, null, "must be a region name such as eu-west-1")]
    [InlineData("fpjs", "eu-west-1.evil.com/x", null, null, "must be a region name such as eu-west-1")]
    [InlineData("fpjs", "eu-west-1", "ftp://example.com", null, "AWS_ENDPOINT_URL_SECRETS_MANAGER must be an absolute http or https URL")]
    [InlineData("fpjs", "eu-west-1", null, "not a url", "AWS_ENDPOINT_URL must be an absolute http or https URL")]
    [InlineData("fpjs", "eu-west-1", "http://user:pw@127.0.0.1/", null, "AWS_ENDPOINT_URL_SECRETS_MANAGER must be")]
    [InlineData("fpjs", "eu-west-1", "http://127.0.0.1/?a=b", null, "AWS_ENDPOINT_URL_SECRETS_MANAGER must be")]
    [InlineData("  ", "eu-west-1", null, null, "FPJS_SECRET_NAME is not set.")]
    public void TryResolve_BadSettings_NameTheSetting(string name, string? region, string? serviceUrl, string? globalUrl, string expected)
    {
        var ok = SecretsManagerTarget.TryResolve(
            new SecretsManagerOptions { SecretName = name, SecretRegion = region, EndpointUrlSecretsManager = serviceUrl, EndpointUrl = globalUrl },
            out var target, out var errors);

        Assert.False(ok);
        Assert.Null(target);
        Assert.Contains(expected, string.Join(" ", errors));
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
}
