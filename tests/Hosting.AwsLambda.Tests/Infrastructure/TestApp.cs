using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;

/// <summary>
/// A small application built the way an application uses the library (<c>CreateSlimBuilder</c>, then
/// <c>AddAWSLambdaHosting</c>), served on the Lambda Runtime API when its arguments name one and on Kestrel
/// on 127.0.0.1 otherwise, so a test can send the same request both ways and compare. <c>/throw</c> throws,
/// <c>/custom</c> runs the test's handler, and every other path answers with what the application saw of
/// the request (<see cref="RequestEcho.EchoAsync"/>). Kestrel's request body limit is set to
/// <see cref="MaxRequestBodySize"/> and its other limits are the defaults.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const long MaxRequestBodySize = 1024 * 1024;

    private int _requests;

    private TestApp(string[] args, Func<HttpContext, Task>? custom, Action<LambdaHostingOptions>? options, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodySize);
        configure?.Invoke(builder);
        builder.Services.AddAWSLambdaHosting(builder.Configuration, options);
        App = builder.Build();
        App.Run(context =>
        {
            Interlocked.Increment(ref _requests);
            return context.Request.Path.Value switch
            {
                "/throw" => throw new InvalidOperationException("Thrown by a test endpoint."),
                "/custom" when custom is not null => custom(context),
                _ => RequestEcho.EchoAsync(context),
            };
        });
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>What the Lambda server has logged so far.</summary>
    public IReadOnlyList<FakeLogRecord> ServerLogs =>
        [.. App.Services.GetFakeLogCollector().GetSnapshot().Where(e => e.Category == typeof(LambdaRuntimeServer).FullName)];

    /// <summary>How many requests reached the pipeline.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The Kestrel port, in Kestrel mode.</summary>
    public int Port => new Uri(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    /// <summary>Builds the application without starting it.</summary>
    public static TestApp Create(
        string[] args,
        Func<HttpContext, Task>? custom = null,
        Action<LambdaHostingOptions>? options = null,
        Action<WebApplicationBuilder>? configure = null) => new(args, custom, options, configure);

    /// <summary>Starts the application in Lambda mode against <paramref name="runtime"/>, on <paramref name="clock"/>.</summary>
    public static async Task<TestApp> StartLambdaAsync(
        FakeLambdaRuntime runtime,
        TimeProvider clock,
        Func<HttpContext, Task>? custom = null,
        Action<LambdaHostingOptions>? options = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var app = Create([runtime.Argument], custom, options, builder =>
        {
            builder.Services.AddSingleton(clock);
            configure?.Invoke(builder);
        });
        await app.App.StartAsync();
        return app;
    }

    /// <summary>Starts the application on Kestrel, on 127.0.0.1.</summary>
    public static async Task<TestApp> StartKestrelAsync(Func<HttpContext, Task>? custom = null)
    {
        var app = Create([], custom);
        await app.App.StartAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
