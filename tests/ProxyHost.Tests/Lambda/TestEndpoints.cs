using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FingerprintProxy.Tests.Lambda;

/// <summary>
/// Test-only endpoints put in front of the whole pipeline (before the proxy's own exception handler) through
/// a startup filter the test host adds: <c>/__test/echo</c> answers with what the pipeline
/// saw of the request (so does any path when the request has an <c>x-test-echo</c> header), <c>/__test/throw</c>
/// throws, and <c>/__test/custom</c> runs the test's handler.
/// </summary>
public static class TestEndpoints
{
    public static Action<IWebHostBuilder> Add(Func<HttpContext, Task>? custom = null) =>
        builder => builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new Filter(custom)));

    private sealed class Filter(Func<HttpContext, Task>? custom) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey("x-test-echo"))
                {
                    await RequestEcho.EchoAsync(context);
                    return;
                }

                switch (context.Request.Path.Value)
                {
                    case "/__test/echo":
                        await RequestEcho.EchoAsync(context);
                        return;
                    case "/__test/throw":
                        throw new InvalidOperationException("Thrown by a test endpoint.");
                    case "/__test/custom" when custom is not null:
                        await custom(context);
                        return;
                    default:
                        await nextMiddleware(context);
                        return;
                }
            });
            next(app);
        };
    }
}
