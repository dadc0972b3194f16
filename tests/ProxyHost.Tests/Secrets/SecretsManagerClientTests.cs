using System.Net;
using System.Text;
using Amazon.Runtime;
using FingerprintProxy.Secrets;
using Microsoft.Extensions.Logging.Abstractions;

namespace FingerprintProxy.Tests.Secrets;

public sealed class SecretsManagerClientTests : IAsyncLifetime
{
    private const string SecretId = "fpjs/proxy";
    private FakeSecretsManager _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSecretsManager.StartAsync("eu-west-3");

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task GetSecretValue_SignedRequest_PassesEveryCheckOfTheFake()
    {
        _fake.SetSecret(SecretId, """{"FPJS_BEHAVIOR_PATH":"abc"}""", "version-1");
        using var client = CreateClient();

        var secret = await client.GetSecretValueAsync(Target(), CancellationToken.None);

        Assert.Equal("""{"FPJS_BEHAVIOR_PATH":"abc"}""", Encoding.UTF8.GetString(secret.Utf8.Span));
        Assert.Equal("version-1", secret.VersionId);
        var request = Assert.Single(_fake.Requests);
        Assert.Null(request.Refusal);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.PathAndQuery);
        Assert.Equal("secretsmanager.GetSecretValue", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Equal("""{"SecretId":"fpjs/proxy"}""", request.Body);
        Assert.Matches(
            $"^AWS4-HMAC-SHA256 Credential={FakeSecretsManager.AccessKey}/\\d{{8}}/eu-west-3/secretsmanager/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{{64}}$",
            request.Headers["Authorization"]);
        Assert.Matches("^\\d{8}T\\d{6}Z$", request.Headers["X-Amz-Date"]);
        Assert.False(request.Headers.ContainsKey("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task GetSecretValue_SessionCredentials_SendsSignedSecurityToken()
    {
        await using var fake = await FakeSecretsManager.StartAsync("eu-west-3", sessionToken: "session-token-123");
        fake.SetSecret(SecretId, "{}");
        using var client = CreateClient(new SessionAWSCredentials(FakeSecretsManager.AccessKey, FakeSecretsManager.SecretKey, "session-token-123"));

        await client.GetSecretValueAsync(Target(fake), CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Null(request.Refusal);
        Assert.Equal("session-token-123", request.Headers["X-Amz-Security-Token"]);
    }

    [Fact]
    public async Task GetSecretValue_WrongSecretKey_FailsAsAuthenticationWithoutRetry()
    {
        using var client = CreateClient(new BasicAWSCredentials(FakeSecretsManager.AccessKey, "not-the-right-secret-key"));

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.AuthenticationFailed, error.Kind);
        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Single(_fake.Requests);
        Assert.Contains("signature we calculated does not match", Assert.Single(_fake.Requests).Refusal);
    }

    [Fact]
    public async Task GetSecretValue_SecretBinary_IsDecodedFromBase64()
    {
        _fake.SetSecretBinary(SecretId, """{"FPJS_GET_RESULT_PATH":"r"}"""u8.ToArray());
        using var client = CreateClient();

        var secret = await client.GetSecretValueAsync(Target(), CancellationToken.None);

        Assert.Equal("""{"FPJS_GET_RESULT_PATH":"r"}""", Encoding.UTF8.GetString(secret.Utf8.Span));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ResourceNotFoundException", nameof(SecretsManagerErrorKind.NotFound))]
    [InlineData(HttpStatusCode.BadRequest, "AccessDeniedException", nameof(SecretsManagerErrorKind.AccessDenied))]
    [InlineData(HttpStatusCode.BadRequest, "DecryptionFailure", nameof(SecretsManagerErrorKind.DecryptionFailure))]
    [InlineData(HttpStatusCode.BadRequest, "InvalidRequestException", nameof(SecretsManagerErrorKind.InvalidRequest))]
    [InlineData(HttpStatusCode.BadRequest, "ExpiredTokenException", nameof(SecretsManagerErrorKind.AuthenticationFailed))]
    [InlineData(HttpStatusCode.BadRequest, "SomethingNewException", nameof(SecretsManagerErrorKind.Other))]
    public async Task GetSecretValue_NonRetryableError_ThrowsTypedErrorAfterOneRequest(HttpStatusCode status, string type, string kind)
    {
        _fake.Enqueue(FakeAnswer.Error(status, type, "Details from the service."));
        _fake.SetSecret(SecretId, "{}");
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(kind, error.Kind.ToString());
        Assert.Equal(type, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Equal($"{type} (HTTP {(int)status}): Details from the service.", error.Message);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task GetSecretValue_UnknownSecret_ThrowsNotFound()
    {
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.NotFound, error.Kind);
        Assert.Contains("can't find the specified secret", error.Message);
    }

    [Fact]
    public async Task GetSecretValue_ThrottledThenServerErrorThenOk_RetriesAndSucceeds()
    {
        _fake.Enqueue(
            FakeAnswer.Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded"),
            FakeAnswer.Raw(HttpStatusCode.InternalServerError, "<html>oops</html>"));
        _fake.SetSecret(SecretId, "{}");
        using var client = CreateClient();

        await client.GetSecretValueAsync(Target(), CancellationToken.None);

        Assert.Equal(3, _fake.Requests.Count);
        Assert.All(_fake.Requests, r => Assert.Null(r.Refusal));
    }

    [Fact]
    public async Task GetSecretValue_AlwaysServerError_GivesUpAfterMaxAttempts()
    {
        _fake.Override = FakeAnswer.Error(HttpStatusCode.InternalServerError, "InternalServiceError", "Try again");
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.ServiceError, error.Kind);
        Assert.True(error.IsRetryable);
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValue_Http429WithoutBody_IsThrottledAndRetried()
    {
        _fake.Override = FakeAnswer.Raw(HttpStatusCode.TooManyRequests, "");
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.Throttled, error.Kind);
        Assert.Equal("Error (HTTP 429)", error.Message);
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValue_SlowAnswer_TimesOutAndRetries()
    {
        _fake.Enqueue(FakeAnswer.Delayed(TimeSpan.FromSeconds(30), FakeAnswer.Secret("{}")));
        _fake.SetSecret(SecretId, """{"FPJS_BEHAVIOR_PATH":"after-timeout"}""");
        using var client = CreateClient(timeoutSeconds: 0.5);

        var secret = await client.GetSecretValueAsync(Target(), CancellationToken.None);

        Assert.Contains("after-timeout", Encoding.UTF8.GetString(secret.Utf8.Span));
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValue_AlwaysSlow_ThrowsTimeout()
    {
        _fake.Override = FakeAnswer.Delayed(TimeSpan.FromSeconds(30), FakeAnswer.Secret("{}"));
        using var client = CreateClient(timeoutSeconds: 0.3, maxAttempts: 2);

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.Timeout, error.Kind);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValue_DroppedConnection_IsNetworkErrorAndRetried()
    {
        _fake.Enqueue(FakeAnswer.Dropped);
        _fake.SetSecret(SecretId, "{}");
        using var client = CreateClient();

        await client.GetSecretValueAsync(Target(), CancellationToken.None);

        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValue_AlwaysDropped_ThrowsNetworkError()
    {
        _fake.Override = FakeAnswer.Dropped;
        using var client = CreateClient(maxAttempts: 2);

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.Network, error.Kind);
    }

    [Fact]
    public async Task GetSecretValue_NothingListening_ThrowsNetworkError()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = CreateClient(maxAttempts: 1);

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(
            new SecretsManagerTarget { SecretId = SecretId, Region = "eu-west-3", Endpoint = new Uri($"http://127.0.0.1:{port}/") },
            CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.Network, error.Kind);
        Assert.Contains("127.0.0.1", error.Message);
    }

    [Fact]
    public async Task GetSecretValue_NoCredentials_ThrowsNoCredentialsWithoutSending()
    {
        using var client = new SecretsManagerClient(Options(), new ThrowingCredentials(), TimeProvider.System, NullLogger.Instance, handler: null);

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.NoCredentials, error.Kind);
        Assert.Equal("No usable AWS credentials: Failed to resolve AWS credentials. Exception 1 of 4: nothing here.", error.Message);
        Assert.Empty(_fake.Requests);
    }

    [Theory]
    [InlineData("""{"Name":"x"}""")]
    [InlineData("""not json""")]
    [InlineData("""{"SecretBinary":"***"}""")]
    [InlineData("""[1,2]""")]
    public async Task GetSecretValue_OkWithoutSecret_ThrowsInvalidResponse(string body)
    {
        _fake.Override = FakeAnswer.Raw(HttpStatusCode.OK, body);
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.InvalidResponse, error.Kind);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task GetSecretValue_Cancelled_ThrowsOperationCanceled()
    {
        _fake.Override = FakeAnswer.Delayed(TimeSpan.FromSeconds(30), FakeAnswer.Secret("{}"));
        using var client = CreateClient(timeoutSeconds: 30);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetSecretValueAsync(Target(), cancellation.Token));
    }

    [Theory]
    [InlineData(400, """{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","Message":"gone"}""", null, "ResourceNotFoundException", nameof(SecretsManagerErrorKind.NotFound))]
    [InlineData(400, """{"__type":"ThrottlingException","message":"slow down"}""", null, "ThrottlingException", nameof(SecretsManagerErrorKind.Throttled))]
    [InlineData(403, "", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/", "AccessDeniedException", nameof(SecretsManagerErrorKind.AccessDenied))]
    [InlineData(503, "<html>unavailable</html>", null, null, nameof(SecretsManagerErrorKind.ServiceError))]
    [InlineData(418, "", null, null, nameof(SecretsManagerErrorKind.Other))]
    public void ParseError_ErrorShapes_GiveCodeAndKind(int status, string body, string? header, string? code, string kind)
    {
        var error = SecretsManagerClient.ParseError((HttpStatusCode)status, header, Encoding.UTF8.GetBytes(body));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(kind, error.Kind.ToString());
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
    }

    [Fact]
    public void ParseError_LongMultilineMessage_IsOneBoundedLine()
    {
        var body = """{"__type":"AccessDeniedException","Message":"line one\nline two """ + new string('x', 1000) + "\"}";

        var error = SecretsManagerClient.ParseError(HttpStatusCode.BadRequest, null, Encoding.UTF8.GetBytes(body));

        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.Message.Length < 400, error.Message);
        Assert.EndsWith("...", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(30)]
    public void RetryDelay_IsBetweenHalfAndAllOfTheCappedExponentialStep(int attempt)
    {
        using var client = CreateClient();
        var step = Math.Min(5000, 200 * Math.Pow(2, attempt - 1));

        for (var i = 0; i < 50; i++)
        {
            var delay = client.RetryDelay(attempt).TotalMilliseconds;
            Assert.InRange(delay, step / 2, step);
        }
    }

    [Fact]
    public void RequestBody_EscapesTheSecretId()
    {
        var body = Encoding.UTF8.GetString(SecretsManagerClient.RequestBody("a\"b"));

        Assert.Equal("""{"SecretId":"a\u0022b"}""", body);
    }

    private SecretsManagerTarget Target(FakeSecretsManager? fake = null) =>
        new() { SecretId = SecretId, Region = (fake ?? _fake).Region, Endpoint = (fake ?? _fake).Endpoint };

    private static SecretsManagerOptions Options(double timeoutSeconds = 5, int maxAttempts = 3) => new()
    {
        TimeoutSeconds = timeoutSeconds,
        MaxAttempts = maxAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(200),
    };

    private static SecretsManagerClient CreateClient(AWSCredentials? credentials = null, double timeoutSeconds = 5, int maxAttempts = 3) =>
        new(Options(timeoutSeconds, maxAttempts),
            new StaticCredentialsProvider(credentials ?? new BasicAWSCredentials(FakeSecretsManager.AccessKey, FakeSecretsManager.SecretKey)),
            TimeProvider.System, NullLogger.Instance, handler: null);

    [Fact]
    public async Task GetSecretValue_CredentialsNeverArrive_TimesOut()
    {
        using var client = new SecretsManagerClient(Options(timeoutSeconds: 0.3, maxAttempts: 1), new HangingCredentials(), TimeProvider.System, NullLogger.Instance, handler: null);

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.Timeout, error.Kind);
        Assert.Empty(_fake.Requests);
    }

    private sealed class HangingCredentials : IAwsCredentialsProvider
    {
        public async ValueTask<AWSCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    private sealed class ThrowingCredentials : IAwsCredentialsProvider
    {
        public ValueTask<AWSCredentials> GetCredentialsAsync(CancellationToken cancellationToken) =>
            throw new AmazonClientException("Failed to resolve AWS credentials.\nException 1 of 4: nothing here.");
    }
}

/// <summary>Fixed credentials, as a test registers them instead of the default chain.</summary>
internal sealed class StaticCredentialsProvider(AWSCredentials credentials) : IAwsCredentialsProvider
{
    public ValueTask<AWSCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
}
