using FingerprintProxy.Lambda;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace FingerprintProxy.Tests.Lambda;

public sealed class LambdaHostingServiceCollectionExtensionsTests
{
    [Fact]
    public async Task WithoutRuntimeApi_KestrelStays()
    {
        await using var app = Program.CreateApp([]);

        var server = app.Services.GetRequiredService<IServer>();

        Assert.DoesNotContain("Lambda", server.GetType().Name, StringComparison.Ordinal);
        Assert.Contains("Kestrel", server.GetType().Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithRuntimeApi_TheLambdaServerReplacesKestrel()
    {
        await using var app = Program.CreateApp(["--AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001"]);

        Assert.IsType<LambdaRuntimeServer>(app.Services.GetRequiredService<IServer>());
        Assert.Single(app.Services.GetServices<IServer>());
    }
}
