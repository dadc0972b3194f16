using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;

/// <summary>
/// An endpoint that answers with what the pipeline saw of the request, as JSON: the test application's and,
/// linked, the proxy host's Lambda tests' (both compare what a request looks like after the Lambda server
/// built it).
/// </summary>
public static class RequestEcho
{
    /// <summary>Answers with what the pipeline saw of the request, as JSON.</summary>
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
        var bytes = Encoding.UTF8.GetBytes(echo.ToJsonString());
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }
}
