using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>What the function posted for one invocation (<c>/response</c> or <c>/error</c>) or for <c>/init/error</c>.</summary>
public sealed record PostedResult(bool IsError, string? ErrorType, JsonObject Document)
{
    public int StatusCode => (int)Document["statusCode"]!;

    public IReadOnlyDictionary<string, string> Headers =>
        Document["headers"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.OrdinalIgnoreCase)
        ?? new Dictionary<string, string>();

    public IReadOnlyList<string> Cookies => Document["cookies"]?.AsArray().Select(c => (string)c!).ToList() ?? [];

    public bool IsBase64Encoded => (bool?)Document["isBase64Encoded"] ?? false;

    public string BodyText => (string?)Document["body"] ?? string.Empty;

    public byte[] BodyBytes => IsBase64Encoded ? Convert.FromBase64String(BodyText) : Encoding.UTF8.GetBytes(BodyText);
}

/// <summary>
/// The Lambda Runtime API (2018-06-01) on a real Kestrel server on 127.0.0.1: <c>invocation/next</c> hands
/// out queued events with the headers Lambda sends; what the function posts to <c>invocation/&lt;id&gt;/response</c>,
/// <c>invocation/&lt;id&gt;/error</c> and <c>init/error</c> is recorded.
/// </summary>
public sealed class FakeLambdaRuntime : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(20);

    private readonly Channel<(string RequestId, byte[] Event)> _queue = Channel.CreateUnbounded<(string, byte[])>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PostedResult>> _results = new();
    private readonly TaskCompletionSource _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<PostedResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _app = null!;

    private FakeLambdaRuntime()
    {
    }

    /// <summary><c>host:port</c>, the value for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>Completes when the function first asks for an event: it has started and is ready.</summary>
    public Task FirstNext => _firstNext.Task;

    /// <summary>Completes when the function posts to <c>/init/error</c>.</summary>
    public Task<PostedResult> InitError => _initError.Task;

    public static async Task<FakeLambdaRuntime> StartAsync()
    {
        var fake = new FakeLambdaRuntime();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        fake._app = builder.Build();
        fake._app.MapGet(Prefix + "/invocation/next", fake.NextAsync);
        fake._app.MapPost(Prefix + "/invocation/{id}/response", (HttpContext context, string id) => fake.RecordAsync(context, id, isError: false));
        fake._app.MapPost(Prefix + "/invocation/{id}/error", (HttpContext context, string id) => fake.RecordAsync(context, id, isError: true));
        fake._app.MapPost(Prefix + "/init/error", fake.RecordInitErrorAsync);
        await fake._app.StartAsync();
        fake.Address = new Uri(fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;
        return fake;
    }

    /// <summary>Queues one event and waits (bounded) for what the function posts back for it.</summary>
    public async Task<PostedResult> InvokeAsync(JsonObject functionUrlEvent)
    {
        var requestId = Guid.NewGuid().ToString();
        var result = _results.GetOrAdd(requestId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync((requestId, Encoding.UTF8.GetBytes(functionUrlEvent.ToJsonString())));
        try
        {
            return await result.Task.WaitAsync(InvocationTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The function posted nothing for invocation {requestId} within {InvocationTimeout.TotalSeconds:0} s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task NextAsync(HttpContext context)
    {
        _firstNext.TrySetResult();
        (string RequestId, byte[] Event) next;
        try
        {
            next = await _queue.Reader.ReadAsync(context.RequestAborted);
        }
        catch (ChannelClosedException)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeMilliseconds();
        context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
        context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:fingerprint-proxy";
        context.Response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-6747a1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=0";
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(next.Event);
    }

    private async Task RecordAsync(HttpContext context, string requestId, bool isError)
    {
        var document = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var result = _results.GetOrAdd(requestId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        result.TrySetResult(new PostedResult(isError, ErrorType(context), document));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task RecordInitErrorAsync(HttpContext context)
    {
        var document = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        _initError.TrySetResult(new PostedResult(true, ErrorType(context), document));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static string? ErrorType(HttpContext context) =>
        context.Request.Headers["Lambda-Runtime-Function-Error-Type"] is { Count: > 0 } value ? value.ToString() : null;
}
