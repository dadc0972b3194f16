using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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

    public static async Task EchoAsync(HttpContext context)
    {
        var request = context.Request;
        var aborted = context.RequestAborted.IsCancellationRequested;
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var headers = new JsonObject();
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }

        var echo = new JsonObject
        {
            ["method"] = request.Method,
            ["scheme"] = request.Scheme,
            ["protocol"] = request.Protocol,
            ["isHttps"] = request.IsHttps,
            ["pathBase"] = request.PathBase.Value,
            ["path"] = request.Path.Value,
            ["queryString"] = request.QueryString.Value,
            ["rawTarget"] = context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            ["host"] = request.Host.Value,
            ["remoteIp"] = context.Connection.RemoteIpAddress?.ToString(),
            ["contentLength"] = request.ContentLength,
            ["canHaveBody"] = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody,
            ["traceIdentifier"] = context.TraceIdentifier,
            ["traceEnvironment"] = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
            ["abortedAtStart"] = aborted,
            ["headers"] = headers,
            ["body"] = Convert.ToBase64String(body.ToArray()),
        };
        var bytes = System.Text.Encoding.UTF8.GetBytes(echo.ToJsonString());
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }

    private sealed class Filter(Func<HttpContext, Task>? custom) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey("x-test-echo"))
                {
                    await EchoAsync(context);
                    return;
                }

                switch (context.Request.Path.Value)
                {
                    case "/__test/echo":
                        await EchoAsync(context);
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
