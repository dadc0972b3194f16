using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) under <c>http://$AWS_LAMBDA_RUNTIME_API</c>: fetch the next
/// event, post its response or error, report a start-up failure.
/// </summary>
internal sealed class LambdaRuntimeApiClient : IDisposable
{
    public const string RuntimeApiKey = "AWS_LAMBDA_RUNTIME_API";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _client;

    public LambdaRuntimeApiClient(string runtimeApi)
    {
        ArgumentException.ThrowIfNullOrEmpty(runtimeApi);
        var handler = new SocketsHttpHandler
        {
            // The Runtime API is on the execution environment's loopback: never through an HTTP proxy
            // that the function's environment may configure for its own outbound calls.
            UseProxy = false,
            ActivityHeadersPropagator = null,
            AllowAutoRedirect = false,
        };
        _client = new HttpClient(handler)
        {
            BaseAddress = new Uri("http://" + runtimeApi + "/2018-06-01/runtime/"),
            // GET next is a long poll: it returns when Lambda has an event, however long that takes.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var assembly = typeof(LambdaRuntimeApiClient).Assembly.GetName();
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(assembly.Name + "/" + assembly.Version?.ToString(3));
    }

    public async Task<LambdaInvocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync("invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var requestId = Single(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidDataException("The Runtime API answered without a Lambda-Runtime-Aws-Request-Id header.");
        DateTimeOffset? deadline = null;
        if (long.TryParse(Single(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs))
        {
            deadline = DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs);
        }

        return new LambdaInvocation
        {
            RequestId = requestId,
            Deadline = deadline,
            TraceId = Single(response, "Lambda-Runtime-Trace-Id"),
            Event = await response.Content.ReadAsByteArrayAsync(cancellationToken),
        };
    }

    public async Task PostResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = Json;
        using var response = await _client.PostAsync("invocation/" + Uri.EscapeDataString(requestId) + "/response", content, cancellationToken);
        await EnsureAcceptedAsync(response, cancellationToken);
    }

    public Task PostInvocationErrorAsync(string requestId, LambdaErrorPayload error, CancellationToken cancellationToken) =>
        PostErrorAsync("invocation/" + Uri.EscapeDataString(requestId) + "/error", error, cancellationToken);

    public Task PostInitErrorAsync(LambdaErrorPayload error, CancellationToken cancellationToken) =>
        PostErrorAsync("init/error", error, cancellationToken);

    public void Dispose() => _client.Dispose();

    private async Task PostErrorAsync(string path, LambdaErrorPayload error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, LambdaJsonContext.Default.LambdaErrorPayload));
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, error.ErrorType);
        using var response = await _client.SendAsync(request, cancellationToken);
        await EnsureAcceptedAsync(response, cancellationToken);
    }

    private static async Task EnsureAcceptedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            // The Runtime API explains a refusal (e.g. a payload too large) in a short JSON body.
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"The Runtime API refused the post with status {(int)response.StatusCode}: {Truncate(detail, 300)}",
                inner: null,
                response.StatusCode);
        }
    }

    private static string? Single(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length] + "...";
}
