using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;

namespace FingerprintProxy.Hosting.AwsLambda.Tests;

public sealed class FunctionUrlRequestMapperTests
{
    private static readonly LambdaInvocation Invocation = new() { RequestId = "req-1", TraceId = "Root=1-abc", Event = [] };

    [Fact]
    public void Apply_HeadersAreTakenWhole_CookiesJoined_AndTheBodyFramesTheRequest()
    {
        var evt = FunctionUrlEvents.Create("POST", "/a%20b", "x=1&x=2", body: [1, 2, 3])
            .WithHeader("transfer-encoding", "chunked")
            .WithHeader("x-list", "a, b,c")
            .WithHeader("x-amzn-trace-id", "Root=1-from-the-client");
        evt["cookies"] = new JsonArray("a=1", "b=2,3");
        var request = FunctionUrlRequestMapper.Parse(Encoding.UTF8.GetBytes(evt.ToJsonString()));
        using var features = new LambdaHttpFeatures(FunctionUrlRequestMapper.DecodeBody(request), FunctionUrlResponseBuilder.MaxPayloadBytes, null);

        Assert.True(FunctionUrlRequestMapper.Apply(request, Invocation, features));

        var headers = features.RequestHeaders;
        Assert.Equal("POST", features.Method);
        Assert.Equal("/a b", features.Path);
        Assert.Equal("?x=1&x=2", features.QueryString);
        Assert.Equal("/a%20b?x=1&x=2", features.RawTarget);
        Assert.Equal("a, b,c", Assert.Single(headers["x-list"]));
        Assert.Equal("a=1; b=2,3", Assert.Single(headers.Cookie));
        Assert.False(headers.ContainsKey("transfer-encoding"));
        Assert.Equal(3, headers.ContentLength);
        Assert.Equal("Root=1-abc", Assert.Single(headers["X-Amzn-Trace-Id"]));
        Assert.Equal(IPAddress.Parse("198.51.100.7"), features.RemoteIpAddress);
        Assert.Equal("req-1", features.TraceIdentifier);
    }

    [Theory]
    [InlineData("", "/", "/")]
    [InlineData("/x", "/x", "/x")]
    public void Apply_EmptyRawPath_IsTheRoot(string rawPath, string path, string rawTarget)
    {
        var request = FunctionUrlRequestMapper.Parse(Encoding.UTF8.GetBytes(FunctionUrlEvents.Create("GET", rawPath).ToJsonString()));
        using var features = new LambdaHttpFeatures([], FunctionUrlResponseBuilder.MaxPayloadBytes, null);

        FunctionUrlRequestMapper.Apply(request, Invocation, features);

        Assert.Equal(path, features.Path);
        Assert.Equal(rawTarget, features.RawTarget);
        Assert.Equal(string.Empty, features.QueryString);
        Assert.Null(features.RequestHeaders.ContentLength);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"rawPath\":\"/\"}")]
    [InlineData("{\"requestContext\":{\"http\":{\"method\":\"GET\"}}}")]
    [InlineData("{\"rawPath\":\"/\",\"requestContext\":{\"http\":{\"method\":\"\"}}}")]
    public void Parse_NotAFunctionUrlEvent_ThrowsInvalidData(string json)
    {
        Assert.Throws<InvalidDataException>(() => FunctionUrlRequestMapper.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData(null, false, "")]
    [InlineData("héllo", false, "héllo")]
    [InlineData("aMOpbGxv", true, "héllo")]
    public void DecodeBody_TextOrBase64(string? body, bool base64, string expected)
    {
        var request = new FunctionUrlRequest { Body = body, IsBase64Encoded = base64 };

        Assert.Equal(Encoding.UTF8.GetBytes(expected), FunctionUrlRequestMapper.DecodeBody(request));
    }

    [Fact]
    public void DecodeBody_InvalidBase64_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => FunctionUrlRequestMapper.DecodeBody(new FunctionUrlRequest { Body = "***", IsBase64Encoded = true }));
    }
}
