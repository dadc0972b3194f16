using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;

namespace FingerprintProxy.Hosting.AwsLambda.Tests;

public sealed class LambdaHostingServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void WithoutRuntimeApi_AddsNothing_AndDoesNotCallConfigure(string? runtimeApi)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi })
            .Build();
        var services = new ServiceCollection();
        var configured = false;

        services.AddAWSLambdaHosting(configuration, _ => configured = true);

        Assert.Empty(services);
        Assert.False(configured);
    }

    [Fact]
    public async Task WithoutRuntimeApi_KestrelStaysTheServer_AndServes()
    {
        await using var app = await TestApp.StartKestrelAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{app.Port}") };

        var echo = await client.GetFromJsonAsync<JsonObject>("/echo?a=1");

        Assert.Contains("Kestrel", Assert.Single(app.Services.GetServices<IServer>()).GetType().Name, StringComparison.Ordinal);
        Assert.Equal("/echo", (string?)echo!["path"]);
        Assert.Equal("127.0.0.1", (string?)echo["remoteIp"]);
    }

    [Fact]
    public async Task WithRuntimeApi_TheLambdaServerReplacesKestrel()
    {
        await using var app = TestApp.Create(["--AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001"]);

        Assert.IsType<LambdaRuntimeServer>(Assert.Single(app.Services.GetServices<IServer>()));
    }

    [Fact]
    public void WithRuntimeApi_TimeProviderAlreadyRegistered_IsKept()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:9001" })
            .Build();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);

        services.AddAWSLambdaHosting(configuration);

        Assert.Same(clock, Assert.Single(services, d => d.ServiceType == typeof(TimeProvider)).ImplementationInstance);
    }
}
