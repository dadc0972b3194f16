namespace FingerprintProxy.Transforms.Tests;

public class RequestPlatformHeadersRemovalTransformTests
{
    private const string UserAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private const string SecChUa = "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"";

    private static readonly string[] Configured = ["x-fpjs-viewer-ip", "X-Origin-Verify"];

    [Theory]
    // AWS signing and tracing.
    [InlineData("x-amz-date", "20260101T000000Z")]
    [InlineData("X-Amz-Content-Sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("X-Amz-Security-Token", "IQoJb3JpZ2luX2VjE")]
    [InlineData("x-amz-cf-id", "abc==")]
    [InlineData("x-amzn-trace-id", "Root=1-67891233-abcdef012345678912345678")]
    [InlineData("X-Amzn-RequestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef")]
    // Forwarding headers from an inner hop (client-controlled, never trusted).
    [InlineData("X-Forwarded-For", "203.0.113.7, 10.0.0.1")]
    [InlineData("x-forwarded-proto", "https")]
    [InlineData("X-Forwarded-Host", "www.example.com")]
    [InlineData("X-Forwarded-Port", "443")]
    [InlineData("X-Forwarded-Prefix", "/fpjs")]
    [InlineData("Forwarded", "for=203.0.113.7;proto=https")]
    [InlineData("Via", "2.0 abc.cloudfront.net (CloudFront)")]
    // The edge's own viewer context.
    [InlineData("CloudFront-Viewer-Address", "203.0.113.7:46532")]
    [InlineData("CloudFront-Viewer-Country", "DE")]
    [InlineData("cloudfront-is-desktop-viewer", "true")]
    // A client may not speak for the proxy.
    [InlineData("fpjs-proxy-client-ip", "8.8.8.8")]
    [InlineData("FPJS-Proxy-Secret", "forged")]
    [InlineData("FPJS-Proxy-Forwarded-Host", "evil.example")]
    // Hop-by-hop.
    [InlineData("Connection", "keep-alive")]
    [InlineData("Keep-Alive", "timeout=5, max=1000")]
    [InlineData("Proxy-Connection", "keep-alive")]
    [InlineData("Proxy-Authorization", "Basic dXNlcjpwYXNz")]
    [InlineData("TE", "trailers")]
    [InlineData("Trailer", "Expires")]
    [InlineData("Transfer-Encoding", "chunked")]
    [InlineData("Upgrade", "websocket")]
    // Configured by the host (edge viewer headers, origin verification); any case.
    [InlineData("x-fpjs-viewer-ip", "203.0.113.7")]
    [InlineData("X-FPJS-Viewer-IP", "203.0.113.7")]
    [InlineData("x-origin-verify", "0b7c5b4e-secret")]
    [InlineData("X-Origin-Verify", "0b7c5b4e-secret")]
    [InlineData("Authorization", "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")]
    public async Task Apply_PlatformHeader_IsRemoved(string name, string value)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", (name, value), ("X-Custom", "kept")));

        await new RequestPlatformHeadersRemovalTransform(Configured).ApplyAsync(context);

        Assert.Null(context.ProxyHeader(name));
        Assert.Equal(["kept"], context.ProxyHeader("X-Custom"));
    }

    [Theory]
    [InlineData("User-Agent", UserAgent)]
    [InlineData("User-Agent", "curl/8.5.0")]
    [InlineData("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")]
    [InlineData("User-Agent", "weird  ,, agent ( unbalanced")]
    [InlineData("sec-ch-ua", SecChUa)]
    [InlineData("sec-ch-ua-mobile", "?0")]
    [InlineData("sec-ch-ua-platform", "\"macOS\"")]
    [InlineData("Sec-CH-UA-Full-Version-List", "\"Chromium\";v=\"124.0.6367.91\", \"Google Chrome\";v=\"124.0.6367.91\", \"Not-A.Brand\";v=\"99.0.0.0\"")]
    [InlineData("Accept-Language", "en-GB,en;q=0.9,de-DE;q=0.8,de;q=0.7")]
    [InlineData("Accept", "*/*")]
    [InlineData("Accept-Encoding", "gzip, deflate, br, zstd")]
    [InlineData("X-Custom", "a, b; c=\"d, e\"")]
    [InlineData("X-Amazing", "not an x-amz- header")]
    [InlineData("X-Forwarded", "no trailing dash")]
    [InlineData("Origin", "https://www.example.com")]
    [InlineData("Referer", "https://www.example.com/checkout?step=2&x=%7e")]
    [InlineData("Content-Type", "text/plain;charset=UTF-8")]
    [InlineData("Content-Length", "1234")]
    [InlineData("Cookie", "_iidt=abc; session=x")]
    [InlineData("Authorization", "Bearer a-viewer-token")]
    [InlineData("Authorization", "Bearer eyJhbGciOi")]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Cache-Control", "no-cache")]
    public async Task Apply_ViewerHeader_IsKeptByteIdentical(string name, string value)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", (name, value), ("x-amz-date", "20260101T000000Z")));

        await new RequestPlatformHeadersRemovalTransform(Configured).ApplyAsync(context);

        Assert.Equal([value], context.ProxyHeader(name));
        Assert.Null(context.ProxyHeader("x-amz-date"));
    }

    [Theory]
    [InlineData("close, x-custom-hop")]
    [InlineData("x-custom-hop")]
    [InlineData("X-Custom-Hop")]
    [InlineData("keep-alive,x-custom-hop")]
    [InlineData("  x-custom-hop  , close")]
    public async Task Apply_HeaderNamedInConnection_IsRemoved(string connection)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(
            "POST", ("Connection", connection), ("x-custom-hop", "1"), ("X-Custom", "kept")));

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        Assert.Null(context.ProxyHeader("x-custom-hop"));
        Assert.Null(context.ProxyHeader("Connection"));
        Assert.Equal(["kept"], context.ProxyHeader("X-Custom"));
    }

    [Fact]
    public async Task Apply_HeaderNamedInSecondConnectionValue_IsRemoved()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(
            "POST", ("Connection", "close"), ("Connection", "x-custom-hop"), ("x-custom-hop", "1"), ("X-Custom", "kept")));

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        Assert.Null(context.ProxyHeader("x-custom-hop"));
        Assert.Equal(["kept"], context.ProxyHeader("X-Custom"));
    }

    [Fact]
    public async Task Apply_HeaderNotNamedInConnection_IsKept()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(
            "POST", ("Connection", "close, x-custom-hop-2"), ("x-custom-hop", "1")));

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        Assert.Equal(["1"], context.ProxyHeader("x-custom-hop"));
    }

    [Fact]
    public async Task Apply_ConfiguredHeaderNotConfigured_IsKept()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", ("X-Origin-Verify", "v")));

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        Assert.Equal(["v"], context.ProxyHeader("X-Origin-Verify"));
    }

    [Theory]
    [MemberData(nameof(Methods.All), MemberType = typeof(Methods))]
    public async Task Apply_BrowserRequestBehindCloudFront_LeavesExactlyTheViewerHeaders(string method)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(
            method,
            ("User-Agent", UserAgent),
            ("sec-ch-ua", SecChUa),
            ("sec-ch-ua-mobile", "?0"),
            ("sec-ch-ua-platform", "\"Windows\""),
            ("Accept", "*/*"),
            ("Accept-Language", "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7"),
            ("Origin", "https://www.example.com"),
            ("Referer", "https://www.example.com/"),
            ("Content-Type", "text/plain"),
            ("Cookie", "_iidt=abc"),
            ("X-Custom", "c"),
            ("Via", "2.0 abc.cloudfront.net (CloudFront)"),
            ("X-Forwarded-For", "203.0.113.7"),
            ("X-Amz-Cf-Id", "id=="),
            ("X-Amz-Date", "20260101T000000Z"),
            ("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),
            ("x-amzn-tls-version", "TLSv1.3"),
            ("CloudFront-Viewer-Address", "203.0.113.7:46532"),
            ("x-fpjs-viewer-ip", "203.0.113.7"),
            ("x-origin-verify", "secret"),
            ("fpjs-proxy-client-ip", "8.8.8.8"),
            ("Connection", "keep-alive")));

        await new RequestPlatformHeadersRemovalTransform(Configured).ApplyAsync(context);

        Assert.Equal(
            new[] { "Accept", "Accept-Language", "Content-Type", "Cookie", "Origin", "Referer", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "User-Agent", "X-Custom" }
                .Order(StringComparer.OrdinalIgnoreCase),
            context.ProxyHeaderNames().Order(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
        Assert.Equal([UserAgent], context.ProxyHeader("User-Agent"));
        Assert.Equal([SecChUa], context.ProxyHeader("sec-ch-ua"));
    }

    [Theory]
    [InlineData("X-Amz-Date", true)]
    [InlineData("x-amzn-trace-id", true)]
    [InlineData("X-FORWARDED-FOR", true)]
    [InlineData("cloudfront-viewer-address", true)]
    [InlineData("FPJS-PROXY-CLIENT-IP", true)]
    [InlineData("connection", true)]
    [InlineData("via", true)]
    [InlineData("forwarded", true)]
    [InlineData("User-Agent", false)]
    [InlineData("sec-ch-ua", false)]
    [InlineData("X-Amz", false)]
    [InlineData("amz-date", false)]
    [InlineData("X-Forwarded", false)]
    [InlineData("Forwarded-For", false)]
    [InlineData("fpjs-proxy", false)]
    [InlineData("X-Fpjs-Proxy-Secret", false)]
    public void ShouldRemove_Name_MatchesBuiltInRules(string name, bool removed)
    {
        Assert.Equal(removed, RequestPlatformHeadersRemovalTransform.ShouldRemove(name));
    }

    [Fact]
    public void Constructor_AdditionalHeaders_AreCaseInsensitive()
    {
        var transform = new RequestPlatformHeadersRemovalTransform(["X-Origin-Verify"]);

        Assert.Contains("x-origin-verify", transform.AdditionalHeaders);
    }

    [Fact]
    public void Constructor_NullAdditionalHeaders_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RequestPlatformHeadersRemovalTransform(null!));
    }
}
