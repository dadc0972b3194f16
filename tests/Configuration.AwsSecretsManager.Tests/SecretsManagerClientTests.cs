using System.Net;
using System.Text;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests;

public sealed class SecretsManagerClientTests : IAsyncLifetime
{
    private const string SecretId = "app/settings";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly ObservableTimeProvider _time = new();
    private readonly CancellationTokenSource _advancing = new();
    private FakeSecretsManager _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSecretsManager.StartAsync("eu-west-3");

        // Retry delays (at most 5 s) pass at once; the 5 s request timeouts are left to each test.
        _ = _time.AdvanceShortTimersAsync(RequestTimeout, _advancing.Token);
    }

    public async Task DisposeAsync()
    {
        _advancing.Cancel();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task GetSecretValue_SignedRequest_PassesEveryCheckOfTheFake()
    {
        _fake.SetSecret(SecretId, """{"Key":"abc"}""", "version-1");
        using var client = CreateClient();

        var secret = await client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None);

        Assert.Equal("""{"Key":"abc"}""", Encoding.UTF8.GetString(secret.Utf8.Span));
        Assert.Equal("version-1", secret.VersionId);
        var request = Assert.Single(_fake.Requests);
        Assert.Null(request.Refusal);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.PathAndQuery);
        Assert.Equal("secretsmanager.GetSecretValue", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Equal("""{"SecretId":"app/settings","VersionStage":"AWSCURRENT"}""", request.Body);
        Assert.Matches(
            $"^AWS4-HMAC-SHA256 Credential={FakeSecretsManager.AccessKey}/\\d{{8}}/eu-west-3/secretsmanager/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{{64}}$",
            request.Headers["Authorization"]);
        Assert.Matches("^\\d{8}T\\d{6}Z$", request.Headers["X-Amz-Date"]);
        Assert.False(request.Headers.ContainsKey("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task GetSecretValue_OtherVersionStage_SendsItInTheBody()
    {
        _fake.SetSecret(SecretId, "{}");
        using var client = CreateClient();

        await client.GetSecretValueAsync(Target(), "AWSPENDING", CancellationToken.None);

        Assert.Equal("""{"SecretId":"app/settings","VersionStage":"AWSPENDING"}""", Assert.Single(_fake.Requests).Body);
    }

    [Fact]
    public async Task GetSecretValue_SessionCredentials_SendsSignedSecurityToken()
    {
        await using var fake = await FakeSecretsManager.StartAsync("eu-west-3", sessionToken: "session-token-123");
        fake.SetSecret(SecretId, "{}");
        using var client = CreateClient(new SessionAWSCredentials(FakeSecretsManager.AccessKey, FakeSecretsManager.SecretKey, "session-token-123"));

        await client.GetSecretValueAsync(Target(fake), "AWSCURRENT", CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Null(request.Refusal);
        Assert.Equal("session-token-123", request.Headers["X-Amz-Security-Token"]);
    }

    [Fact]
    public async Task GetSecretValue_WrongSecretKey_FailsAsAuthenticationWithoutRetry()
    {
        using var client = CreateClient(new BasicAWSCredentials(FakeSecretsManager.AccessKey, "not-the-right-secret-key"));

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.AuthenticationFailed, error.Kind);
        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Contains("signature we calculated does not match", Assert.Single(_fake.Requests).Refusal);
    }

    [Fact]
    public async Task GetSecretValue_SecretBinary_IsDecodedFromBase64()
    {
        _fake.SetSecretBinary(SecretId, """{"Key":"r"}"""u8.ToArray());
        using var client = CreateClient();

        var secret = await client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None);

        Assert.Equal("""{"Key":"r"}""", Encoding.UTF8.GetString(secret.Utf8.Span));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ResourceNotFoundException", SecretsManagerErrorKind.NotFound)]
    [InlineData(HttpStatusCode.BadRequest, "AccessDeniedException", SecretsManagerErrorKind.AccessDenied)]
    [InlineData(HttpStatusCode.BadRequest, "DecryptionFailure", SecretsManagerErrorKind.DecryptionFailure)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidRequestException", SecretsManagerErrorKind.InvalidRequest)]
    [InlineData(HttpStatusCode.BadRequest, "ExpiredTokenException", SecretsManagerErrorKind.AuthenticationFailed)]
    [InlineData(HttpStatusCode.BadRequest, "SomethingNewException", SecretsManagerErrorKind.Other)]
    public async Task GetSecretValue_NonRetryableError_ThrowsTypedErrorAfterOneRequest(HttpStatusCode status, string type, SecretsManagerErrorKind kind)
    {
        _fake.Override = FakeAnswer.Error(status, type, "Details from the service.");
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(type, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Equal($"{type} (HTTP {(int)status}): Details from the service.", error.Message);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task GetSecretValue_ThrottledThenServerErrorThenOk_RetriesAndSucceeds()
    {
        _fake.Enqueue(
            FakeAnswer.Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded"),
            FakeAnswer.Raw(HttpStatusCode.InternalServerError, "<html>oops</html>"));
        _fake.SetSecret(SecretId, "{}");
        using var client = CreateClient();

        await client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None);

        Assert.Equal(3, _fake.Requests.Count);
        Assert.All(_fake.Requests, r => Assert.Null(r.Refusal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task GetSecretValue_AlwaysServerError_GivesUpAfterMaxAttempts(int maxAttempts)
    {
        _fake.Override = FakeAnswer.Error(HttpStatusCode.InternalServerError, "InternalServiceError", "Try again");
        using var client = CreateClient(maxAttempts: maxAttempts);

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.ServiceError, error.Kind);
        Assert.True(error.IsRetryable);
        Assert.Equal(maxAttempts, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValue_Http429WithoutBody_IsThrottledAndRetried()
    {
        _fake.Override = FakeAnswer.Raw(HttpStatusCode.TooManyRequests, "");
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.Throttled, error.Kind);
        Assert.Equal("Error (HTTP 429)", error.Message);
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValue_NoAnswerWithinTheTimeout_TimesOutAndRetries()
    {
        _fake.Enqueue(FakeAnswer.Hang);
        _fake.SetSecret(SecretId, """{"Key":"after-timeout"}""");
        using var client = CreateClient();

        var call = client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None);
        await _fake.WaitForRequestsAsync(1);
        await _time.AdvanceWhenWaitingAsync(RequestTimeout);
        var secret = await call;

        Assert.Contains("after-timeout", Encoding.UTF8.GetString(secret.Utf8.Span));
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValue_NeverAnswered_ThrowsTimeoutAfterMaxAttempts()
    {
        _fake.Override = FakeAnswer.Hang;
        using var client = CreateClient(maxAttempts: 2);

        var call = client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await _fake.WaitForRequestsAsync(attempt);
            await _time.AdvanceWhenWaitingAsync(RequestTimeout);
        }

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => call);
        Assert.Equal(SecretsManagerErrorKind.Timeout, error.Kind);
        Assert.Equal("GetSecretValue did not complete within 5 s (127.0.0.1).", error.Message);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValue_DroppedConnection_IsNetworkErrorAndRetried()
    {
        _fake.Enqueue(FakeAnswer.Dropped);
        _fake.SetSecret(SecretId, "{}");
        using var client = CreateClient();

        await client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None);

        Assert.Equal(2, _fake.Requests.Count);
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
            "AWSCURRENT", CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.Network, error.Kind);
        Assert.Contains("127.0.0.1", error.Message);
    }

    [Fact]
    public async Task GetSecretValue_NoCredentialsAnywhere_ThrowsNoCredentialsWithoutSending()
    {
        using var credentials = new AwsCredentialsResolver(options: null);
        using var client = new SecretsManagerClient(credentials, RequestTimeout, 3, _time);

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.NoCredentials, error.Kind);
        Assert.StartsWith("No usable AWS credentials: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
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

        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(Target(), "AWSCURRENT", CancellationToken.None));

        Assert.Equal(SecretsManagerErrorKind.InvalidResponse, error.Kind);
        Assert.Null(error.InnerException);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task GetSecretValue_Cancelled_ThrowsOperationCanceledWithoutRetry()
    {
        _fake.Override = FakeAnswer.Hang;
        using var client = CreateClient();
        using var cancellation = new CancellationTokenSource();

        var call = client.GetSecretValueAsync(Target(), "AWSCURRENT", cancellation.Token);
        await _fake.WaitForRequestsAsync(1);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(_fake.Requests);
    }

    [Theory]
    [InlineData(400, """{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","Message":"gone"}""", null, "ResourceNotFoundException", SecretsManagerErrorKind.NotFound)]
    [InlineData(400, """{"__type":"ThrottlingException","message":"slow down"}""", null, "ThrottlingException", SecretsManagerErrorKind.Throttled)]
    [InlineData(403, "", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/", "AccessDeniedException", SecretsManagerErrorKind.AccessDenied)]
    [InlineData(503, "<html>unavailable</html>", null, null, SecretsManagerErrorKind.ServiceError)]
    [InlineData(418, "", null, null, SecretsManagerErrorKind.Other)]
    public void ParseError_ErrorShapes_GiveCodeAndKind(int status, string body, string? header, string? code, SecretsManagerErrorKind kind)
    {
        var error = SecretsManagerClient.ParseError((HttpStatusCode)status, header, Encoding.UTF8.GetBytes(body));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(kind, error.Kind);
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
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(5, 3200)]
    [InlineData(30, 5000)]
    public void RetryDelay_IsBetweenHalfAndAllOfTheCappedExponentialStep(int attempt, double step)
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.InRange(SecretsManagerClient.RetryDelay(attempt).TotalMilliseconds, step / 2, step);
        }
    }

    [Fact]
    public void RequestBody_EscapesTheSecretId()
    {
        var body = Encoding.UTF8.GetString(SecretsManagerClient.RequestBody("a\"b", "AWSCURRENT"));

        Assert.Equal("""{"SecretId":"a\u0022b","VersionStage":"AWSCURRENT"}""", body);
    }

    private SecretsManagerTarget Target(FakeSecretsManager? fake = null) =>
        new() { SecretId = SecretId, Region = (fake ?? _fake).Region, Endpoint = (fake ?? _fake).Endpoint };

    private SecretsManagerClient CreateClient(AWSCredentials? credentials = null, int maxAttempts = 3) =>
        new(new AwsCredentialsResolver(new AWSOptions { Credentials = credentials ?? new BasicAWSCredentials(FakeSecretsManager.AccessKey, FakeSecretsManager.SecretKey) }),
            RequestTimeout, maxAttempts, _time);
}
