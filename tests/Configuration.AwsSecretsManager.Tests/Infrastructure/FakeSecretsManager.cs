using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;

/// <summary>
/// A Secrets Manager on 127.0.0.1 (real Kestrel, random port) that checks every request the way AWS does
/// before answering: POST /, the GetSecretValue target and JSON 1.1 content type, a well-formed
/// <c>AWS4-HMAC-SHA256</c> Authorization header for a known access key with the right scope (date, region,
/// <c>secretsmanager</c>), a fresh <c>X-Amz-Date</c>, the session token when the key has one, the body hash,
/// and the signature itself, recomputed with <see cref="TestSigV4"/>. A request that fails a check gets the
/// error AWS would send (and is recorded with the reason). Valid requests get the next queued
/// <see cref="FakeAnswer"/>, else <see cref="Override"/>, else the secret stored for the id, else
/// ResourceNotFoundException.
/// </summary>
internal sealed class FakeSecretsManager : IAsyncDisposable
{
    public const string AccessKey = "AKIDFAKESECRETSMGR";
    public const string SecretKey = "fake/secret+key/for/the/fake/secrets/manager";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeAnswer> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeAnswer> _queued = new();
    private readonly List<FakeRequest> _requests = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly Dictionary<string, (string SecretKey, string? SessionToken)> _keys;
    private readonly CancellationTokenSource _stopping = new();
    private int _inFlight;
    private int _maxInFlight;

    private FakeSecretsManager(WebApplication app, string region, Dictionary<string, (string, string?)> keys)
    {
        _app = app;
        Region = region;
        _keys = keys;
    }

    public string Region { get; }

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request received, in order, with the reason it was refused (null when valid).</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The most requests that were being answered at the same time.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    /// <summary>When set, answers every valid request (after the queue), overriding stored secrets.</summary>
    public FakeAnswer? Override { get; set; }

    public static async Task<FakeSecretsManager> StartAsync(string region = "eu-west-3", string? sessionToken = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var keys = new Dictionary<string, (string, string?)>(StringComparer.Ordinal) { [AccessKey] = (SecretKey, sessionToken) };
        var fake = new FakeSecretsManager(app, region, keys);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Endpoint = new Uri(app.Urls.Single() + "/");
        return fake;
    }

    /// <summary>
    /// The options a user would give to reach this fake: its region, the key it knows, and its URL as
    /// <c>DefaultClientConfig.ServiceURL</c>.
    /// </summary>
    public AWSOptions AwsOptions(AWSCredentials? credentials = null) => new()
    {
        Region = RegionEndpoint.GetBySystemName(Region),
        Credentials = credentials ?? new BasicAWSCredentials(AccessKey, SecretKey),
        DefaultClientConfig = { ServiceURL = Endpoint.ToString() },
    };

    /// <summary>Stores the secret's value (SecretString) for its id, replacing the previous one.</summary>
    public void SetSecret(string secretId, string secretString, string versionId = "v1") =>
        _secrets[secretId] = FakeAnswer.Secret(secretString, versionId);

    public void SetSecretBinary(string secretId, byte[] value, string versionId = "v1") =>
        _secrets[secretId] = FakeAnswer.Binary(value, versionId);

    /// <summary>Answers the next valid requests with <paramref name="answers"/>, each once, in order.</summary>
    public void Enqueue(params FakeAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _queued.Enqueue(answer);
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> requests have been received.</summary>
    public Task WaitForRequestsAsync(int count)
    {
        lock (_requests)
        {
            if (_requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Held answers give up, so that stopping does not wait for them.
        _stopping.Cancel();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static void InterlockedMax(ref int location, int value)
    {
        for (var current = Volatile.Read(ref location); value > current; current = Volatile.Read(ref location))
        {
            if (Interlocked.CompareExchange(ref location, value, current) == current)
            {
                return;
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        // Counted from arrival until the answer starts: a client cannot send its next request before that.
        InterlockedMax(ref _maxInFlight, Interlocked.Increment(ref _inFlight));
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var refusal = Check(context.Request, headers, body, out var secretId);
        Record(new FakeRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, Encoding.UTF8.GetString(body), refusal?.Reason));

        var answer = refusal?.Answer
            ?? (_queued.TryDequeue(out var queued) ? queued : null)
            ?? Override
            ?? (secretId is not null && _secrets.TryGetValue(secretId, out var stored) ? stored : null)
            ?? FakeAnswer.Error(HttpStatusCode.BadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        await WriteAsync(context, answer, secretId);
    }

    private void Record(FakeRequest request)
    {
        lock (_requests)
        {
            _requests.Add(request);
            foreach (var waiter in _waiters.Where(w => _requests.Count >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.SetResult();
            }
        }
    }

    private async Task WriteAsync(HttpContext context, FakeAnswer answer, string? secretId)
    {
        try
        {
            if (answer.Gate is not null)
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
                await answer.Gate.WaitAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        if (answer.DropConnection)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)answer.Status;
        if (answer.ErrorTypeHeader is not null)
        {
            context.Response.Headers["x-amzn-ErrorType"] = answer.ErrorTypeHeader;
        }

        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(answer.Body ?? BuildSecretBody(answer, secretId));
    }

    private string BuildSecretBody(FakeAnswer answer, string? secretId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("ARN", $"arn:aws:secretsmanager:{Region}:123456789012:secret:{secretId}-AbCdEf");
            writer.WriteString("Name", secretId);
            writer.WriteString("VersionId", answer.VersionId);
            writer.WriteStartArray("VersionStages");
            writer.WriteStringValue("AWSCURRENT");
            writer.WriteEndArray();
            writer.WriteNumber("CreatedDate", 1.7e9);
            if (answer.SecretBinary is not null)
            {
                writer.WriteBase64String("SecretBinary", answer.SecretBinary);
            }
            else
            {
                writer.WriteString("SecretString", answer.SecretString);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private (string Reason, FakeAnswer Answer)? Check(HttpRequest request, Dictionary<string, string> headers, byte[] body, out string? secretId)
    {
        secretId = null;
        static (string, FakeAnswer) Refuse(string reason, string type, HttpStatusCode status = HttpStatusCode.BadRequest) =>
            (reason, FakeAnswer.Error(status, type, reason));

        if (request.Method != "POST" || request.Path != "/" || request.QueryString.HasValue)
        {
            return Refuse($"expected POST / but got {request.Method} {request.Path}{request.QueryString}", "UnknownOperationException", HttpStatusCode.NotFound);
        }

        if (headers.GetValueOrDefault("X-Amz-Target") != "secretsmanager.GetSecretValue")
        {
            return Refuse("X-Amz-Target is not secretsmanager.GetSecretValue", "UnknownOperationException");
        }

        if (headers.GetValueOrDefault("Content-Type") != "application/x-amz-json-1.1")
        {
            return Refuse("Content-Type is not application/x-amz-json-1.1", "SerializationException");
        }

        if (!headers.TryGetValue("Authorization", out var authorization))
        {
            return Refuse("no Authorization header", "MissingAuthenticationTokenException", HttpStatusCode.Forbidden);
        }

        if (!TryParseAuthorization(authorization, out var credential, out var signedHeaders, out var signature))
        {
            return Refuse("malformed Authorization header", "IncompleteSignatureException");
        }

        if (!headers.TryGetValue("X-Amz-Date", out var amzDate)
            || !DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return Refuse("X-Amz-Date missing or malformed", "IncompleteSignatureException");
        }

        // Signatures carry the wall-clock time whatever clock the provider's timers run on, as AWS requires.
        if (Math.Abs((DateTime.UtcNow - signedAt).TotalMinutes) > 5)
        {
            return Refuse("signature expired (X-Amz-Date more than 5 minutes off)", "InvalidSignatureException");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5)
        {
            return Refuse("credential is not key/date/region/service/aws4_request", "IncompleteSignatureException");
        }

        if (!_keys.TryGetValue(scope[0], out var key))
        {
            return Refuse("unknown access key", "UnrecognizedClientException");
        }

        if (scope[1] != amzDate[..8] || scope[2] != Region || scope[3] != "secretsmanager" || scope[4] != "aws4_request")
        {
            return Refuse($"credential scope {string.Join('/', scope.Skip(1))} does not match date {amzDate[..8]}, region {Region}, service secretsmanager", "InvalidSignatureException");
        }

        var signed = signedHeaders.Split(';');
        foreach (var required in new[] { "host", "x-amz-date", "x-amz-target", "content-type" })
        {
            if (!signed.Contains(required))
            {
                return Refuse($"header {required} is not signed", "InvalidSignatureException");
            }
        }

        if (key.SessionToken is not null)
        {
            if (headers.GetValueOrDefault("X-Amz-Security-Token") != key.SessionToken || !signed.Contains("x-amz-security-token"))
            {
                return Refuse("session token missing, wrong or unsigned", "UnrecognizedClientException");
            }
        }

        var bodyHash = TestSigV4.Sha256Hex(body);
        if (headers.TryGetValue("x-amz-content-sha256", out var claimedHash) && claimedHash != bodyHash)
        {
            return Refuse("x-amz-content-sha256 does not match the body", "InvalidSignatureException");
        }

        var signedValues = new List<KeyValuePair<string, string>>();
        foreach (var name in signed)
        {
            if (!headers.TryGetValue(name, out var value))
            {
                return Refuse($"signed header {name} is missing", "InvalidSignatureException");
            }

            signedValues.Add(new(name, value));
        }

        var expected = TestSigV4.Signature(key.SecretKey, amzDate, scope[2], scope[3], request.Method, request.Path, "", signedValues, bodyHash);
        if (expected != signature)
        {
            return Refuse("The request signature we calculated does not match the signature you provided.", "InvalidSignatureException");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            secretId = document.RootElement.GetProperty("SecretId").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Refuse("body is not {\"SecretId\": \"...\"}", "SerializationException");
        }

        return null;
    }

    private static bool TryParseAuthorization(string value, out string credential, out string signedHeaders, out string signature)
    {
        credential = signedHeaders = signature = "";
        const string Prefix = "AWS4-HMAC-SHA256 ";
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var part in value[Prefix.Length..].Split(','))
        {
            var pair = part.Trim().Split('=', 2);
            if (pair.Length != 2)
            {
                return false;
            }

            switch (pair[0])
            {
                case "Credential": credential = pair[1]; break;
                case "SignedHeaders": signedHeaders = pair[1]; break;
                case "Signature": signature = pair[1]; break;
                default: return false;
            }
        }

        return credential.Length > 0 && signedHeaders.Length > 0 && signature.Length == 64;
    }
}

/// <summary>One request as the fake received it. <see cref="Refusal"/> is null when it passed every check.</summary>
internal sealed record FakeRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, string? Refusal);

/// <summary>How the fake answers a valid request.</summary>
internal sealed record FakeAnswer
{
    public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;

    /// <summary>A raw body; when null, a GetSecretValue result is built from the secret fields.</summary>
    public string? Body { get; init; }

    public string? SecretString { get; init; }

    public byte[]? SecretBinary { get; init; }

    public string VersionId { get; init; } = "v1";

    public string? ErrorTypeHeader { get; init; }

    /// <summary>When set, the answer waits for it (or for the client to give up) before it is sent.</summary>
    public Task? Gate { get; init; }

    /// <summary>Abort the connection instead of answering.</summary>
    public bool DropConnection { get; init; }

    public static FakeAnswer Secret(string secretString, string versionId = "v1") => new() { SecretString = secretString, VersionId = versionId };

    public static FakeAnswer Binary(byte[] value, string versionId = "v1") => new() { SecretBinary = value, VersionId = versionId };

    public static FakeAnswer Error(HttpStatusCode status, string type, string message) =>
        new() { Status = status, Body = JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["Message"] = message }) };

    public static FakeAnswer Raw(HttpStatusCode status, string body) => new() { Status = status, Body = body };

    public static FakeAnswer Dropped => new() { DropConnection = true };

    /// <summary>No answer until the client gives up (a timeout) or the fake stops.</summary>
    public static FakeAnswer Hang => new() { Gate = new TaskCompletionSource().Task };

    /// <summary><paramref name="then"/>, once <paramref name="gate"/> completes.</summary>
    public static FakeAnswer HeldUntil(Task gate, FakeAnswer then) => then with { Gate = gate };
}
