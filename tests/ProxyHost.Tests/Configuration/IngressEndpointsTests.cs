using FingerprintProxy.Configuration;

namespace FingerprintProxy.Tests.Configuration;

public sealed class IngressEndpointsTests
{
    [Theory]
    [InlineData("https://api.fpjs.io", "https://api.fpjs.io", "https://eu.api.fpjs.io", "https://ap.api.fpjs.io")]
    [InlineData("https://api.fpjs.io/", "https://api.fpjs.io", "https://eu.api.fpjs.io", "https://ap.api.fpjs.io")]
    [InlineData("http://localhost:8080", "http://localhost:8080", "http://eu.localhost:8080", "http://ap.localhost:8080")]
    [InlineData("HTTPS://API.Example.COM", "https://api.example.com", "https://eu.api.example.com", "https://ap.api.example.com")]
    public void Parse_DerivesTheThreeRegionOrigins(string baseUrl, string us, string eu, string ap)
    {
        var endpoints = IngressEndpoints.Parse(baseUrl);

        Assert.Equal(us, endpoints.Global);
        Assert.Equal(eu, endpoints.Eu);
        Assert.Equal(ap, endpoints.Ap);
    }

    [Theory]
    [InlineData("eu", "https://eu.api.fpjs.io")]
    [InlineData("ap", "https://ap.api.fpjs.io")]
    [InlineData("us", "https://api.fpjs.io")]
    [InlineData("EU", "https://api.fpjs.io")]
    [InlineData(" eu", "https://api.fpjs.io")]
    [InlineData("evil.example", "https://api.fpjs.io")]
    [InlineData("", "https://api.fpjs.io")]
    [InlineData(null, "https://api.fpjs.io")]
    public void ForRegion_OnlyExactEuAndApSelectARegion(string? region, string expected)
    {
        Assert.Equal(expected, IngressEndpoints.Parse("https://api.fpjs.io").ForRegion(region));
    }

    [Theory]
    [InlineData("http://api.fpjs.io")]
    [InlineData("http://metrics.example.com:8080")]
    [InlineData("http://localhost.example.com")]
    [InlineData("ftp://api.fpjs.io")]
    public void Parse_RefusesPlainHttp_ExceptForALoopbackName(string baseUrl)
    {
        Assert.False(IngressEndpoints.TryParse(baseUrl, out _, out var error));
        Assert.StartsWith("must use https", error);
    }

    [Theory]
    [InlineData("http://localhost")]
    [InlineData("http://fpjs.localhost:8080")]
    [InlineData("HTTP://FPJS.LOCALHOST")]
    public void Parse_AcceptsPlainHttp_ForLocalhostNames(string baseUrl)
    {
        Assert.True(IngressEndpoints.TryParse(baseUrl, out _, out _));
    }
}
