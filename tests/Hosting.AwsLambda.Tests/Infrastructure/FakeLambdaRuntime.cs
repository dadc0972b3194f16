using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;

/// <summary>What the host posted back for one invocation: a response document or an error.</summary>
public sealed record PostedResult(string RequestId, bool IsError, string? ErrorTypeHeader, JsonObject Document)
{
    public int StatusCode => (int)Document["statusCode"]!;

    public IReadOnlyDictionary<string, string> Headers =>
        Document["headers"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.OrdinalIgnoreCase)
        ?? new Dictionary<string, string>();

    public IReadOnlyList<string> Cookies => Document["cookies"]?.AsArray().Select(c => (string)c!).ToList() ?? [];

    public bool IsBase64Encoded => (bool?)Document["isBase64Encoded"] ?? false;

    public string BodyText => (string?)Document["body"] ?? string.Empty;

    public byte[] BodyBytes => IsBase64Encoded ? Convert.FromBase64String(BodyText) : Encoding.UTF8.GetBytes(BodyText);

    public JsonObject BodyJson => JsonNode.Parse(BodyText)!.AsObject();
}

/// <summary>
/// A fake Lambda Runtime API (2018-06-01) on a real Kestrel server on 127.0.0.1: answers
/// <c>invocation/next</c> from a script of queued events and failures, in order, and records what the host
/// posts to <c>response</c>, <c>error</c> and <c>init/error</c>. Deadlines are on the given clock, the one
/// the host under test runs on.
/// </summary>
public sealed class FakeLambdaRuntime : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";

    private readonly Channel<Next> _script = Channel.CreateUnbounded<Next>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PostedResult>> _results = new();
    private readonly TaskCompletionSource<PostedResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _clock;
    private WebApplication _app = null!;
    private int _nextCalls;

    private FakeLambdaRuntime(TimeProvider clock)
    {
        _clock = clock;
    }

    /// <summary><c>host:port</c>, the value of <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>The command-line argument that points a host at this fake.</summary>
    public string Argument => "--AWS_LAMBDA_RUNTIME_API=" + Address;

    /// <summary>How many times the host has asked for the next event.</summary>
    public int NextCalls => Volatile.Read(ref _nextCalls);

    /// <summary>Completes when the host posts to <c>/init/error</c>.</summary>
    public Task<PostedResult> InitError => _initError.Task;

    public static async Task<FakeLambdaRuntime> StartAsync(TimeProvider clock)
    {
        var fake = new FakeLambdaRuntime(clock);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        app.MapGet(Prefix + "/invocation/next", fake.NextAsync);
        app.MapPost(Prefix + "/invocation/{id}/response", (HttpContext c, string id) => fake.RecordAsync(c, id, isError: false));
        app.MapPost(Prefix + "/invocation/{id}/error", (HttpContext c, string id) => fake.RecordAsync(c, id, isError: true));
        app.MapPost(Prefix + "/init/error", fake.RecordInitErrorAsync);
        await app.StartAsync();
        fake._app = app;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        fake.Address = address.Authority;
        return fake;
    }

    /// <summary>
    /// Queues an event (deadline 30 s from the clock's now unless given) and waits, at most 30 s, for what
    /// the host posts back for it.
    /// </summary>
    public async Task<PostedResult> InvokeAsync(string eventJson, DateTimeOffset? deadline = null, string? traceId = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var result = Result(requestId);
        await _script.Writer.WriteAsync(new Next(requestId, Encoding.UTF8.GetBytes(eventJson), deadline ?? _clock.GetUtcNow().AddSeconds(30), traceId));
        return await result.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Makes the next unanswered <c>invocation/next</c> fail with 500.</summary>
    public void FailNext() => _script.Writer.TryWrite(new Next(null, [], default, null));

    private TaskCompletionSource<PostedResult> Result(string requestId) =>
        _results.GetOrAdd(requestId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task NextAsync(HttpContext context)
    {
        Interlocked.Increment(ref _nextCalls);
        var next = await _script.Reader.ReadAsync(context.RequestAborted);
        if (next.RequestId is null)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
        context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = next.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:eu-west-1:123456789012:function:test";
        if (next.TraceId is not null)
        {
            context.Response.Headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(next.Event);
    }

    private async Task RecordAsync(HttpContext context, string requestId, bool isError)
    {
        var document = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        Result(requestId).TrySetResult(new PostedResult(requestId, isError, errorType.Length == 0 ? null : errorType, document));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task RecordInitErrorAsync(HttpContext context)
    {
        var document = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        _initError.TrySetResult(new PostedResult(string.Empty, true, errorType, document));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    public async ValueTask DisposeAsync()
    {
        _script.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One answer to <c>invocation/next</c>: an event, or a failure when <see cref="RequestId"/> is null.</summary>
    private sealed record Next(string? RequestId, byte[] Event, DateTimeOffset Deadline, string? TraceId);
}
