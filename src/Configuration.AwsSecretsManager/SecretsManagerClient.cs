using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>
/// GetSecretValue, the one Secrets Manager call a configuration source needs: a SigV4-signed JSON POST on
/// AWSSDK.Core's public signer, so that the whole service SDK is not loaded (and not on a cold start) for
/// one call. Each attempt has a timeout that covers credential resolution; throttling, 5xx, timeouts and
/// network failures are retried a bounded number of times with exponential backoff and jitter; every other
/// failure is thrown at once as a <see cref="SecretsManagerException"/>.
/// </summary>
internal sealed class SecretsManagerClient : IDisposable
{
    public const string SigningService = "secretsmanager";
    public const string TargetHeaderValue = "secretsmanager.GetSecretValue";
    public const string JsonContentType = "application/x-amz-json-1.1";

    // A secret is at most 64 KB; base64 and the envelope make the answer a little larger.
    private const int MaxResponseBytes = 1024 * 1024;
    private static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private readonly AwsCredentialsResolver _credentials;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly int _maxAttempts;

    public SecretsManagerClient(AwsCredentialsResolver credentials, TimeSpan requestTimeout, int maxAttempts, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(time);
        _credentials = credentials;
        _time = time;
        _timeout = requestTimeout;
        _maxAttempts = Math.Max(1, maxAttempts);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = requestTimeout,
            // Re-resolve DNS now and then: the regional endpoint's addresses change.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            // Each attempt has its own timeout (below); this one would also cover the retries.
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    /// <summary>Reads the secret's value in <paramref name="versionStage"/>.</summary>
    /// <exception cref="SecretsManagerException">The call failed; the last attempt's error.</exception>
    public async Task<SecretValue> GetSecretValueAsync(SecretsManagerTarget target, string versionStage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var body = RequestBody(target.SecretId, versionStage);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(target, body, cancellationToken).ConfigureAwait(false);
            }
            catch (SecretsManagerException e) when (e.IsRetryable && attempt < _maxAttempts)
            {
                await Task.Delay(RetryDelay(attempt), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out.</summary>
    internal static TimeSpan RetryDelay(int attempt)
    {
        var step = Math.Min(MaxRetryDelay.TotalMilliseconds, RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds((step / 2) + (Random.Shared.NextDouble() * step / 2));
    }

    internal static byte[] RequestBody(string secretId, string versionStage)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("SecretId", secretId);
            writer.WriteString("VersionStage", versionStage);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task<SecretValue> SendOnceAsync(SecretsManagerTarget target, byte[] body, CancellationToken cancellationToken)
    {
        // The timeout covers credential resolution too: the container or instance metadata endpoint can hang.
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpStatusCode status;
        byte[] content;
        string? errorTypeHeader;
        try
        {
            using var request = await CreateSignedRequestAsync(target, body, linked.Token).ConfigureAwait(false);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            status = response.StatusCode;
            errorTypeHeader = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
            content = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SecretsManagerException(SecretsManagerErrorKind.Timeout,
                $"GetSecretValue did not complete within {_timeout.TotalSeconds:0.###} s ({target.Endpoint.Host}).", innerException: e);
        }
        catch (HttpRequestException e)
        {
            throw new SecretsManagerException(SecretsManagerErrorKind.Network,
                $"Could not reach Secrets Manager at {target.Endpoint.Host}: {e.HttpRequestError}.", innerException: e);
        }
        catch (IOException e)
        {
            throw new SecretsManagerException(SecretsManagerErrorKind.Network,
                $"The connection to Secrets Manager at {target.Endpoint.Host} failed while reading the answer.", innerException: e);
        }

        return status == HttpStatusCode.OK ? ParseSecret(content) : throw ParseError(status, errorTypeHeader, content);
    }

    private async Task<HttpRequestMessage> CreateSignedRequestAsync(SecretsManagerTarget target, byte[] body, CancellationToken cancellationToken)
    {
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = target.Endpoint, Content = body };
        signing.Headers["Content-Type"] = JsonContentType;
        signing.Headers["X-Amz-Target"] = TargetHeaderValue;

        AWSSigningResult signed;
        try
        {
            var credentials = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
            {
                Credentials = credentials,
                Region = Amazon.RegionEndpoint.GetBySystemName(target.Region),
                Service = SigningService,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            // The SDK's message lists, one line each, why every provider of the chain found nothing.
            var reasons = string.Join(' ', e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            throw new SecretsManagerException(SecretsManagerErrorKind.NoCredentials, "No usable AWS credentials: " + Clean(reasons, 500), innerException: e);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, target.Endpoint)
        {
            Version = HttpVersion.Version11,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", TargetHeaderValue);
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static SecretValue ParseSecret(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var versionId = root.TryGetProperty("VersionId", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString() : null;
                if (root.TryGetProperty("SecretString", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    return new SecretValue(Encoding.UTF8.GetBytes(text.GetString()!), versionId);
                }

                if (root.TryGetProperty("SecretBinary", out var binary) && binary.ValueKind == JsonValueKind.String)
                {
                    return new SecretValue(binary.GetBytesFromBase64(), versionId);
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            // Not attached as the inner exception: a JSON error's message may quote a piece of the secret.
            throw new SecretsManagerException(SecretsManagerErrorKind.InvalidResponse,
                "Secrets Manager's answer could not be read (not GetSecretValue JSON, or SecretBinary not base64).");
        }

        throw new SecretsManagerException(SecretsManagerErrorKind.InvalidResponse,
            "Secrets Manager's answer holds neither SecretString nor SecretBinary.");
    }

    /// <summary>
    /// Reads an AWS JSON 1.1 error: <c>{"__type":"...#Code","Message":"..."}</c>, or the
    /// <c>x-amzn-ErrorType</c> header (<c>Code:http://...</c>) when the body has no type.
    /// </summary>
    internal static SecretsManagerException ParseError(HttpStatusCode status, string? errorTypeHeader, byte[] content)
    {
        string? code = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }

                    if (property.NameEquals("__type") || property.NameEquals("code"))
                    {
                        code ??= property.Value.GetString();
                    }
                    else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                    {
                        message ??= property.Value.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a load balancer's HTML page, an empty 500): the status alone tells the story.
        }

        if (string.IsNullOrEmpty(code) && !string.IsNullOrEmpty(errorTypeHeader))
        {
            code = errorTypeHeader.Split(':', 2)[0];
        }

        if (!string.IsNullOrEmpty(code))
        {
            code = Clean(code[(code.LastIndexOf('#') + 1)..], 100);
        }

        var kind = SecretsManagerException.Classify(status, code);
        var text = $"{(string.IsNullOrEmpty(code) ? "Error" : code)} (HTTP {(int)status})";
        if (!string.IsNullOrWhiteSpace(message))
        {
            text += ": " + Clean(message, 300);
        }

        return new SecretsManagerException(kind, text, string.IsNullOrEmpty(code) ? null : code, status);
    }

    // The service's text ends up in logs and status pages: keep it to one bounded line.
    private static string Clean(string value, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(value.Length, maxLength + 3));
        foreach (var c in value)
        {
            if (builder.Length == maxLength)
            {
                builder.Append("...");
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A secret's value as read, UTF-8 bytes. Its string form shows the version, never the value.</summary>
internal sealed class SecretValue(byte[] utf8, string? versionId)
{
    /// <summary><c>SecretString</c> encoded as UTF-8, or the decoded <c>SecretBinary</c>.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    /// <summary>The version's id (not secret).</summary>
    public string? VersionId { get; } = versionId;

    public override string ToString() => "SecretValue (version " + (VersionId ?? "unknown") + ")";
}
