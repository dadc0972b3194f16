namespace FingerprintProxy.Hosting.AwsLambda.Tests;

public sealed class RequestPathDecoderTests
{
    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/fpjs/web/v4/abc%20def", "/fpjs/web/v4/abc def")]
    [InlineData("/a%2Fb", "/a%2Fb")]
    [InlineData("/a%2fb", "/a%2fb")]
    [InlineData("/caf%C3%A9", "/café")]
    [InlineData("/%F0%9F%98%80", "/😀")]
    [InlineData("/bad%C3", "/bad%C3")]
    [InlineData("/%C0%AF", "/%C0%AF")]
    [InlineData("/%ED%A0%80", "/%ED%A0%80")]
    [InlineData("/%E2%82/x", "/%E2%82/x")]
    [InlineData("/a%zzb%4", "/a%zzb%4")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/a/%2e%2E/b", "/b")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/b/.", "/a/b/")]
    [InlineData("/..", "/")]
    [InlineData("/a/..%2Fb", "/a/..%2Fb")]
    [InlineData("/a//b", "/a//b")]
    [InlineData("/.well-known/x", "/.well-known/x")]
    public void Decode_FollowsKestrel(string rawPath, string expected)
    {
        Assert.Equal(expected, RequestPathDecoder.Decode(rawPath));
    }

    [Theory]
    [InlineData("/a%00b")]
    [InlineData("/%00")]
    public void TryDecode_EncodedNul_IsRefused(string rawPath)
    {
        Assert.False(RequestPathDecoder.TryDecode(rawPath, out _));
    }
}
