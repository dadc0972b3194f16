using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;

/// <summary>
/// AWS's published SigV4 test vectors, for the SDK's signer that the provider uses and for the independent
/// <see cref="TestSigV4"/> that the fake Secrets Manager checks signatures with. All share AWS's example
/// credentials, time, region and service.
/// Sources: awslabs/aws-c-auth tests/aws-signing-test-suite/v4/&lt;case&gt;/header-signed-request.txt
/// (post-x-www-form-urlencoded, get-vanilla-with-session-token) and awslabs/aws-crt-python
/// test/test_auth.py (get-vanilla, quoted from the same suite; and a signed-body POST of "hello").
/// </summary>
public sealed class SigV4TestVectorTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20150830T123600Z";
    private const string Region = "us-east-1";
    private const string Service = "service";
    private const string Host = "example.amazonaws.com";
    private const string SessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
    private static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    // post-x-www-form-urlencoded, the suite's version that signs x-amz-content-sha256 (as this SDK always does).
    private const string PostFormAuthorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
        "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, " +
        "Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b";

    private const string PostFormBodyHash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";

    // aws-crt-python test_signing_sigv4_body: POST / "hello", Content-Length 5, signed body header.
    private const string PostHelloAuthorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
        "SignedHeaders=content-length;host;x-amz-content-sha256;x-amz-date, " +
        "Signature=8e17c5b22b7bb28da47f44b08691c087a0993d0965bfab053376360790d44d6c";

    [Fact]
    public void SdkSigner_PostXWwwFormUrlencodedVector_ProducesPublishedAuthorization()
    {
        var request = new AWSSigningRequest
        {
            HttpMethod = HttpMethod.Post,
            RequestUri = new Uri("https://" + Host + "/"),
            Content = Encoding.UTF8.GetBytes("Param1=value1"),
        };
        request.Headers["Content-Type"] = "application/x-www-form-urlencoded";
        request.Headers["Content-Length"] = "13";

        var result = AWSSigV4Signer.Sign(request, Parameters(new BasicAWSCredentials(AccessKey, SecretKey)));

        Assert.Equal(PostFormAuthorization, result.Headers["Authorization"]);
        Assert.Equal(AmzDate, result.Headers["X-Amz-Date"]);
        Assert.Equal(PostFormBodyHash, result.Headers["X-Amz-Content-SHA256"]);
    }

    [Fact]
    public void SdkSigner_PostHelloVector_ProducesPublishedAuthorization()
    {
        var request = new AWSSigningRequest
        {
            HttpMethod = HttpMethod.Post,
            RequestUri = new Uri("https://" + Host + "/"),
            Content = Encoding.UTF8.GetBytes("hello"),
        };
        request.Headers["Content-Length"] = "5";

        var result = AWSSigV4Signer.Sign(request, Parameters(new BasicAWSCredentials(AccessKey, SecretKey)));

        Assert.Equal(PostHelloAuthorization, result.Headers["Authorization"]);
    }

    [Fact]
    public void SdkSigner_SessionCredentials_AddsAndSignsSecurityToken()
    {
        var request = new AWSSigningRequest { HttpMethod = HttpMethod.Get, RequestUri = new Uri("https://" + Host + "/") };

        var result = AWSSigV4Signer.Sign(request, Parameters(new SessionAWSCredentials(AccessKey, SecretKey, SessionToken)));

        Assert.Equal(SessionToken, result.Headers["X-Amz-Security-Token"]);
        Assert.Contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,", result.Headers["Authorization"]);
    }

    [Fact]
    public void TestSigner_GetVanillaVector_ProducesPublishedAuthorization()
    {
        var authorization = TestSigV4.Authorization(AccessKey, SecretKey, AmzDate, Region, Service, "GET", "/", "",
            [new("Host", Host), new("X-Amz-Date", AmzDate)], TestSigV4.Sha256Hex([]));

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            authorization);
    }

    [Fact]
    public void TestSigner_GetVanillaWithSessionTokenVector_ProducesPublishedAuthorization()
    {
        var authorization = TestSigV4.Authorization(AccessKey, SecretKey, AmzDate, Region, Service, "GET", "/", "",
            [new("Host", Host), new("X-Amz-Date", AmzDate), new("X-Amz-Security-Token", SessionToken)], TestSigV4.Sha256Hex([]));

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, " +
            "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
            authorization);
    }

    [Fact]
    public void TestSigner_PostXWwwFormUrlencodedVector_ProducesPublishedAuthorization()
    {
        var authorization = TestSigV4.Authorization(AccessKey, SecretKey, AmzDate, Region, Service, "POST", "/", "",
            [
                new("Content-Type", "application/x-www-form-urlencoded"), new("Host", Host), new("Content-Length", "13"),
                new("x-amz-content-sha256", PostFormBodyHash), new("X-Amz-Date", AmzDate),
            ],
            TestSigV4.Sha256Hex("Param1=value1"u8));

        Assert.Equal(PostFormAuthorization, authorization);
    }

    private static AWSSigV4Parameters Parameters(AWSCredentials credentials) => new()
    {
        Credentials = credentials,
        Region = Amazon.RegionEndpoint.GetBySystemName(Region),
        Service = Service,
        SignedAt = SignedAt,
    };
}
