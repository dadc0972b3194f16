using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests;

public sealed class AwsCredentialsResolverTests : IAsyncLifetime, IDisposable
{
    private readonly string _profiles = Path.GetTempFileName();
    private FakeSecretsManager _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSecretsManager.StartAsync("eu-west-3");
        File.WriteAllText(_profiles, $"""
            [default]
            aws_access_key_id = AKIDDEFAULTPROFILE
            aws_secret_access_key = not-known-to-the-fake

            [app]
            aws_access_key_id = {FakeSecretsManager.AccessKey}
            aws_secret_access_key = {FakeSecretsManager.SecretKey}
            region = eu-west-3
            """);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => File.Delete(_profiles);

    [Fact]
    public async Task GetAsync_CredentialsSet_ReturnsThemEvenWithAProfile()
    {
        var credentials = new BasicAWSCredentials("AKIDFIXED", "secret");
        using var resolver = new AwsCredentialsResolver(new AWSOptions { Credentials = credentials, Profile = "app", ProfilesLocation = _profiles });

        Assert.Same(credentials, await resolver.GetAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("app", FakeSecretsManager.AccessKey)]
    [InlineData(null, "AKIDDEFAULTPROFILE")]
    public async Task GetAsync_ProfilesLocation_ReadsTheNamedOrDefaultProfile(string? profile, string accessKey)
    {
        using var resolver = new AwsCredentialsResolver(new AWSOptions { Profile = profile, ProfilesLocation = _profiles });

        var credentials = await (await resolver.GetAsync(CancellationToken.None)).GetCredentialsAsync();

        Assert.Equal(accessKey, credentials.AccessKey);
    }

    [Fact]
    public async Task GetAsync_UnknownProfile_ThrowsNoCredentialsNamingTheProfile()
    {
        using var resolver = new AwsCredentialsResolver(new AWSOptions { Profile = "missing", ProfilesLocation = _profiles });

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => resolver.GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(SecretsManagerErrorKind.NoCredentials, error.Kind);
        Assert.Equal($"No usable AWS credentials: profile 'missing' was not found in {_profiles}, or it holds no credentials.", error.Message);
    }

    [Fact]
    public void Provider_ProfileInAProfilesFile_SignsWithItsKeyAndRegion()
    {
        _fake.SetSecret("app/settings", """{"Key":"from profile"}""");

        using var config = (ConfigurationRoot)new ConfigurationBuilder()
            .AddSecretsManager(source =>
            {
                source.SecretId = "app/settings";
                source.AwsOptions = new AWSOptions { Profile = "app", ProfilesLocation = _profiles, DefaultClientConfig = { ServiceURL = _fake.Endpoint.ToString() } };
            })
            .Build();

        Assert.Equal("from profile", config["Key"]);
        var request = Assert.Single(_fake.Requests);
        Assert.Null(request.Refusal);
        Assert.Contains($"Credential={FakeSecretsManager.AccessKey}/", request.Headers["Authorization"]);
    }

    [Fact]
    public void Provider_NoCredentialsAnywhereAndOptional_RecordsWhyWithoutSending()
    {
        using var config = (ConfigurationRoot)new ConfigurationBuilder()
            .AddSecretsManager(source =>
            {
                source.SecretId = "app/settings";
                source.Optional = true;
                source.AwsOptions = new AWSOptions { Region = Amazon.RegionEndpoint.EUWest3, DefaultClientConfig = { ServiceURL = _fake.Endpoint.ToString() } };
            })
            .Build();

        var state = config.Providers.OfType<SecretsManagerConfigurationProvider>().Single().State;
        Assert.StartsWith("No usable AWS credentials: ", state.LastError);
        Assert.Empty(_fake.Requests);
    }
}
