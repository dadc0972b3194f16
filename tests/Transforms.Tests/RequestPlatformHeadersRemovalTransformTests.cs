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
    // The edge's hop (forwarding headers have a table of their own).
    [InlineData("Via", "2.0 abc.cloudfront.net (CloudFront)")]
    // The edge's own viewer context.
    [InlineData("CloudFront-Viewer-Address", "203.0.113.7:46532")]
    [InlineData("CloudFront-Viewer-Country", "DE")]
    [InlineData("cloudfront-is-desktop-viewer", "true")]
    // A client may not speak for the proxy.
    [InlineData("fpjs-proxy-client-ip", "8.8.8.8")]
    [InlineData("FPJS-Proxy-Secret", "forged")]
    [InlineData("FPJS-Proxy-Forwarded-Host", "evil.example")]
    // YARP copies it, but no request trailer is forwarded (the hop-by-hop headers YARP drops itself are
    // checked through the pipeline, in FingerprintTransformExtensionsTests).
    [InlineData("Trailer", "Expires")]
    [InlineData("trailer", "X-Checksum")]
    // Configured by the host (edge viewer headers, origin verification); any case.
    [InlineData("x-fpjs-viewer-ip", "203.0.113.7")]
    [InlineData("X-FPJS-Viewer-IP", "203.0.113.7")]
    [InlineData("x-origin-verify", "0b7c5b4e-secret")]
    [InlineData("X-Origin-Verify", "0b7c5b4e-secret")]
    [InlineData("Authorization", "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")]
    public async Task Apply_PlatformHeader_IsRemoved(string name, string value)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext("POST", (name, value), ("X-Custom", "kept")));
        Assert.NotNull(context.ProxyHeader(name));

        await new RequestPlatformHeadersRemovalTransform(Configured).ApplyAsync(context);

        Assert.Null(context.ProxyHeader(name));
        Assert.Equal(["kept"], context.ProxyHeader("X-Custom"));
    }

    [Theory]
    [MemberData(nameof(ClientHeaders.ForwardingOnEveryMethod), MemberType = typeof(ClientHeaders))]
    public async Task Apply_ClientForwardingHeader_IsRemovedOnEveryMethod(string name, string value, string method)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(method, (name, value), ("X-Custom", "kept")));
        Assert.NotNull(context.ProxyHeader(name));

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        Assert.Null(context.ProxyHeader(name));
        Assert.Equal(["kept"], context.ProxyHeader("X-Custom"));
    }

    [Theory]
    [MemberData(nameof(ClientHeaders.Hosts), MemberType = typeof(ClientHeaders))]
    public async Task Apply_AnyClientHost_LeavesNoHostOnTheProxyRequest(string[] hosts)
    {
        var httpContext = TransformTestContext.HttpContext("POST", ("X-Custom", "kept"));
        httpContext.Request.Headers.Host = hosts;
        var context = TransformTestContext.Request(httpContext);

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        // The HTTP client writes the one Host from the request URI when the message has none.
        Assert.DoesNotContain(context.ProxyRequest.Headers.NonValidated, h => string.Equals(h.Key, "Host", StringComparison.OrdinalIgnoreCase));
        Assert.Null(context.ProxyRequest.Headers.Host);
        Assert.Equal(["kept"], context.ProxyHeader("X-Custom"));
    }

    [Fact]
    public async Task Apply_EmptyClientHost_RemovesTheHostYarpCopied()
    {
        // What makes the rule necessary: YARP's copy keeps an empty Host, and its own Host removal
        // (RequestHeaderOriginalHostTransform) only takes out a Host equal to the parsed one.
        var httpContext = TransformTestContext.HttpContext("GET");
        httpContext.Request.Headers.Host = "";
        var context = TransformTestContext.Request(httpContext);
        Assert.Equal([""], context.ProxyHeader("Host"));

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        Assert.Null(context.ProxyHeader("Host"));
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
    [InlineData("keep-alive, X-Hop")]
    [InlineData("X-Hop")]
    [InlineData("x-hop")]
    [InlineData("close, X-Hop")]
    [InlineData("keep-alive,x-hop")]
    [InlineData("  X-Hop  , close")]
    [InlineData("Upgrade, X-Hop, keep-alive")]
    public async Task Apply_HeaderNamedInConnection_IsRemoved(string connection)
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(
            "POST", ("Connection", connection), ("X-Hop", "1"), ("X-Custom", "kept")));
        Assert.Equal(["1"], context.ProxyHeader("X-Hop"));

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        Assert.Null(context.ProxyHeader("X-Hop"));
        Assert.Null(context.ProxyHeader("Connection"));
        Assert.Equal(["kept"], context.ProxyHeader("X-Custom"));
    }

    [Fact]
    public async Task Apply_HeaderNamedInSecondConnectionValue_IsRemoved()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(
            "POST", ("Connection", "close"), ("Connection", "X-Hop"), ("X-Hop", "1"), ("X-Custom", "kept")));

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        Assert.Null(context.ProxyHeader("X-Hop"));
        Assert.Equal(["kept"], context.ProxyHeader("X-Custom"));
    }

    [Fact]
    public async Task Apply_HeaderNotNamedInConnection_IsKept()
    {
        var context = TransformTestContext.Request(TransformTestContext.HttpContext(
            "POST", ("Connection", "close, X-Hop-2, X-Ho"), ("X-Hop", "1")));

        await new RequestPlatformHeadersRemovalTransform([]).ApplyAsync(context);

        Assert.Equal(["1"], context.ProxyHeader("X-Hop"));
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
            ("True-Client-IP", "8.8.8.8"),
            ("Connection", "keep-alive")));

        await new RequestPlatformHeadersRemovalTransform(Configured).ApplyAsync(context);

        Assert.Equal(
            new[] { "Accept", "Accept-Language", "Content-Type", "Cookie", "Origin", "Referer", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "User-Agent", "X-Custom" }
                .Order(StringComparer.OrdinalIgnoreCase),
            context.ProxyHeaderNames(),
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
    [InlineData("via", true)]
    [InlineData("forwarded", true)]
    [InlineData("x-real-ip", true)]
    [InlineData("True-Client-Ip", true)]
    [InlineData("X-CLIENT-IP", true)]
    [InlineData("cf-connecting-ip", true)]
    [InlineData("fastly-client-ip", true)]
    [InlineData("trailer", true)]
    [InlineData("User-Agent", false)]
    [InlineData("sec-ch-ua", false)]
    [InlineData("X-Amz", false)]
    [InlineData("amz-date", false)]
    [InlineData("X-Forwarded", false)]
    [InlineData("Forwarded-For", false)]
    [InlineData("fpjs-proxy", false)]
    [InlineData("X-Fpjs-Proxy-Secret", false)]
    [InlineData("X-Real-IP-Address", false)]
    [InlineData("Client-IP-Hint", false)]
    [InlineData("", false)]
    // Dropped by YARP's header copy, so not listed again.
    [InlineData("Connection", false)]
    [InlineData("Keep-Alive", false)]
    [InlineData("Transfer-Encoding", false)]
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
