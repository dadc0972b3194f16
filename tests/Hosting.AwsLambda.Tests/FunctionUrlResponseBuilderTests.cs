using System.Text;
using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.Hosting.AwsLambda.Tests;

public sealed class FunctionUrlResponseBuilderTests
{
    [Theory]
    [InlineData("text/html; charset=utf-8", null, true)]
    [InlineData("TEXT/PLAIN", null, true)]
    [InlineData("application/json", null, true)]
    [InlineData("application/problem+json", null, true)]
    [InlineData("image/svg+xml", null, true)]
    [InlineData("application/xml", null, true)]
    [InlineData("application/javascript; charset=utf-8", null, true)]
    [InlineData("application/x-www-form-urlencoded", null, true)]
    [InlineData("application/json", "identity", true)]
    [InlineData("application/json", "gzip", false)]
    [InlineData("text/javascript", "br", false)]
    [InlineData("application/octet-stream", null, false)]
    [InlineData("image/webp", null, false)]
    [InlineData("application/jsonx", null, false)]
    [InlineData(null, null, false)]
    [InlineData("", null, false)]
    public void IsKnownText(string? contentType, string? contentEncoding, bool expected)
    {
        Assert.Equal(expected, FunctionUrlResponseBuilder.IsKnownText(contentType, contentEncoding));
    }

    [Fact]
    public void Build_SetCookiesGoToCookies_ConnectionHeadersAreDropped_RepeatedHeadersAreJoined()
    {
        var headers = new HeaderDictionary
        {
            ["Set-Cookie"] = new(["a=1; Expires=Sun, 21 Nov 2027 09:00:00 GMT", "b=2"]),
            ["Transfer-Encoding"] = "chunked",
            ["Connection"] = "close",
            ["Keep-Alive"] = "timeout=5",
            ["Vary"] = new(["Origin", "Accept"]),
            ["Content-Type"] = "text/plain",
        };

        var response = FunctionUrlResponseBuilder.Build(200, headers, Encoding.UTF8.GetBytes("héllo"));

        Assert.Equal(["a=1; Expires=Sun, 21 Nov 2027 09:00:00 GMT", "b=2"], response.Cookies);
        Assert.Equal(["Content-Type", "Vary"], response.Headers.Keys.Order());
        Assert.Equal("Origin, Accept", response.Headers["Vary"]);
        Assert.False(response.IsBase64Encoded);
        Assert.Equal("héllo", response.Body);
    }

    [Fact]
    public void Serialize_WritesTheFunctionUrlResponseShape()
    {
        var json = Encoding.UTF8.GetString(FunctionUrlResponseBuilder.Serialize(FunctionUrlResponseBuilder.Error(502, "too \"big\"")));

        Assert.Equal(
            "{\"statusCode\":502,\"headers\":{\"Content-Type\":\"application/json\",\"Cache-Control\":\"no-store\"},\"cookies\":[],\"body\":\"{\\u0022error\\u0022:\\u0022too \\\\u0022big\\\\u0022\\u0022}\",\"isBase64Encoded\":false}",
            json);
    }
}
