using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms.Tests;

/// <summary>
/// What the header-setting transforms share through their base, for each of them: set on POST only,
/// replacing what the client sent, nothing when there is no value.
/// </summary>
public class RequestPostHeaderTransformTests
{
    /// <summary>Each transform's header and a value it sets.</summary>
    public static TheoryData<string, string> Headers => new()
    {
        { FingerprintHeaders.ProxySecret, "s3cr3t-Value_1" },
        { FingerprintHeaders.ProxyClientIp, "203.0.113.7" },
        { FingerprintHeaders.ProxyForwardedHost, "www.example.com" },
    };

    public static TheoryData<string, string, string> HeadersForPost => Cross(Headers, Methods.Post);

    public static TheoryData<string, string, string> HeadersForNonPost => Cross(Headers, Methods.NonPost);

    /// <summary>Each header as a client may spell it.</summary>
    public static TheoryData<string, string, string> HeadersInClientCase
    {
        get
        {
            var rows = new TheoryData<string, string, string>();
            foreach (var (header, value) in Rows(Headers))
            {
                rows.Add(header, value, header);
                rows.Add(header, value, header.ToLowerInvariant());
                rows.Add(header, value, header.ToUpperInvariant());
            }

            return rows;
        }
    }

    /// <summary>Each header with a value meaning "none".</summary>
    public static TheoryData<string, string?> HeadersWithoutValue
    {
        get
        {
            var rows = new TheoryData<string, string?>();
            foreach (var (header, _) in Rows(Headers))
            {
                rows.Add(header, null);
                rows.Add(header, "");
            }

            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(HeadersForPost))]
    public async Task Post_WithValue_SetsHeader(string header, string value, string method)
    {
        var context = await ApplyAsync(header, value, method);

        Assert.Equal([value], context.ProxyHeader(header));
    }

    [Theory]
    [MemberData(nameof(HeadersInClientCase))]
    public async Task Post_ClientSentHeaderInAnyCase_ReplacesIt(string header, string value, string clientName)
    {
        var context = await ApplyAsync(header, value, "POST", (clientName, "forged"), (clientName, "forged-again"));

        Assert.Equal([value], context.ProxyHeader(header));
    }

    [Theory]
    [MemberData(nameof(HeadersForNonPost))]
    public async Task NonPost_WithValue_SetsNoHeader(string header, string value, string method)
    {
        var context = await ApplyAsync(header, value, method);

        Assert.Null(context.ProxyHeader(header));
    }

    [Theory]
    [MemberData(nameof(HeadersWithoutValue))]
    public async Task Post_NoValue_SetsNoHeader(string header, string? none)
    {
        var context = await ApplyAsync(header, none, "POST");

        Assert.Null(context.ProxyHeader(header));
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task Post_WithValue_LeavesOtherHeadersAlone(string header, string value)
    {
        var context = await ApplyAsync(header, value, "POST", ("X-Custom", "a, b"), ("Content-Type", "text/plain"));

        Assert.Equal(["a, b"], context.ProxyHeader("X-Custom"));
        Assert.Equal(["text/plain"], context.ProxyHeader("Content-Type"));
        Assert.Equal(
            new[] { "Content-Type", header, "Host", "X-Custom" }.Order(StringComparer.OrdinalIgnoreCase),
            context.ProxyHeaderNames(),
            StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void HeaderName_EachTransform_IsItsFingerprintHeader()
    {
        Assert.Equal("FPJS-Proxy-Secret", new RequestProxySecretTransform(_ => null).HeaderName);
        Assert.Equal("FPJS-Proxy-Client-IP", new RequestClientIpTransform().HeaderName);
        Assert.Equal("FPJS-Proxy-Forwarded-Host", new RequestForwardedHostTransform().HeaderName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Constructor_NoHeaderName_Throws(string? name)
    {
        Assert.ThrowsAny<ArgumentException>(() => new FixedValueTransform(name!));
    }

    /// <summary>Runs the transform that sets <paramref name="header"/> on a request for which its value is <paramref name="value"/>.</summary>
    private static async Task<RequestTransformContext> ApplyAsync(string header, string? value, string method, params (string Name, string Value)[] headers)
    {
        var httpContext = TransformTestContext.HttpContext(method, headers);
        RequestPostHeaderTransform transform;
        switch (header)
        {
            case FingerprintHeaders.ProxySecret:
                transform = new RequestProxySecretTransform(_ => value);
                break;
            case FingerprintHeaders.ProxyClientIp:
                httpContext.Features.Set(new ViewerContext(value, "www.example.com"));
                transform = new RequestClientIpTransform();
                break;
            case FingerprintHeaders.ProxyForwardedHost:
                httpContext.Features.Set(new ViewerContext("203.0.113.7", value));
                transform = new RequestForwardedHostTransform();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(header), header, null);
        }

        var context = TransformTestContext.Request(httpContext);
        await transform.ApplyAsync(context);
        return context;
    }

    private static TheoryData<string, string, string> Cross(TheoryData<string, string> headers, TheoryData<string> methods)
    {
        var rows = new TheoryData<string, string, string>();
        foreach (var (header, value) in Rows(headers))
        {
            foreach (var row in methods)
            {
                rows.Add(header, value, row);
            }
        }

        return rows;
    }

    private static IEnumerable<(string, string)> Rows(TheoryData<string, string> data) => data.Select(row => ((string)row[0], (string)row[1]));

    private sealed class FixedValueTransform(string headerName) : RequestPostHeaderTransform(headerName)
    {
        protected override string? GetValue(HttpContext context) => "value";
    }
}
