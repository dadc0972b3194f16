using System.Net;
using FingerprintProxy.Tests.Infrastructure;

namespace FingerprintProxy.Tests.Proxy;

/// <summary>docs/contract.md, "Routes": every route, region selection, methods, and 404 outside the integration path.</summary>
public sealed class RoutingTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fixture;

    public RoutingTests(ProxyFixture fixture)
    {
        _fixture = fixture;
        fixture.Upstream.Clear();
    }

    private HttpClient Client => _fixture.Proxy.Client;

    [Theory]
    [InlineData("/fpjs/agent?apiKey=K1&version=3&loaderVersion=3.12.15", "/web/v3/K1/loader_v3.12.15.js")]
    [InlineData("/fpjs/agent?apiKey=K1&loaderVersion=3.9.8_e1_noworker", "/web/v3/K1/loader_v3.9.8_e1_noworker.js")]
    [InlineData("/fpjs/agent?apiKey=K1&version=4", "/web/v4/K1")]
    [InlineData("/fpjs/agent?apiKey=Ab_c-9", "/web/v3/Ab_c-9")]
    public async Task AgentRoute_MapsToLoaderPathOnIngressHost_KeepingTheQuery(string target, string upstreamPath)
    {
        using var response = await Client.GetAsync(target);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = _fixture.Upstream.Single();
        Assert.Equal("GET", received.Method);
        Assert.Equal(upstreamPath, received.Path);
        Assert.Equal(target[target.IndexOf('?')..], received.Query);
        Assert.Equal(ProxyServer.IngressHost, received.Host);
    }

    [Fact]
    public async Task AgentRoute_IgnoresRegion_AlwaysUsesIngressHost()
    {
        using var response = await Client.GetAsync("/fpjs/agent?apiKey=K&region=eu");

        Assert.Equal(ProxyServer.IngressHost, _fixture.Upstream.Single().Host);
    }

    [Theory]
    [InlineData("region=eu", "eu.fpjs.localhost")]
    [InlineData("region=ap", "ap.fpjs.localhost")]
    [InlineData("region=us", "fpjs.localhost")]
    [InlineData("region=invalid", "fpjs.localhost")]
    [InlineData("region=EU", "fpjs.localhost")]
    [InlineData("region=eu.evil.example", "fpjs.localhost")]
    [InlineData("region=", "fpjs.localhost")]
    [InlineData("ci=js", "fpjs.localhost")]
    [InlineData("region=ap&region=eu", "ap.fpjs.localhost")]
    public async Task ResultRoute_PicksRegionHostFromQuery_OnlyAmongTheThreeKnownHosts(string query, string expectedHost)
    {
        using var response = await Client.PostAsync("/fpjs/result?" + query, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = _fixture.Upstream.Single();
        Assert.Equal(expectedHost, received.Host);
        Assert.Equal("/", received.Path);
    }

    [Theory]
    [InlineData("POST", "/fpjs/result?region=eu", "/", "eu.fpjs.localhost")]
    [InlineData("GET", "/fpjs/result/browser-cache/abc?region=eu", "/browser-cache/abc", "eu.fpjs.localhost")]
    [InlineData("HEAD", "/fpjs/result/some/suffix", "/some/suffix", "fpjs.localhost")]
    [InlineData("PUT", "/fpjs/result/x?region=ap", "/x", "ap.fpjs.localhost")]
    [InlineData("POST", "/fpjs/result/", "/", "fpjs.localhost")]
    [InlineData("POST", "/fpjs/web/v4/KEY", "/web/v4/KEY", "fpjs.localhost")]
    [InlineData("POST", "/fpjs/?region=eu", "/", "eu.fpjs.localhost")]
    [InlineData("POST", "/fpjs", "/", "fpjs.localhost")]
    [InlineData("GET", "/fpjs/browser-cache/xyz?region=ap", "/browser-cache/xyz", "ap.fpjs.localhost")]
    [InlineData("DELETE", "/fpjs/anything/deep/path", "/anything/deep/path", "fpjs.localhost")]
    [InlineData("PATCH", "/fpjs/resultx", "/resultx", "fpjs.localhost")]
    [InlineData("OPTIONS", "/fpjs/agent/", "/agent/", "fpjs.localhost")]
    [InlineData("GET", "/fpjs/status/x", "/status/x", "fpjs.localhost")]
    public async Task ResultAndCatchAllRoutes_ForwardMethodAndSuffix_ToRegionHost(string method, string target, string upstreamPath, string host)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("body");
        }

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = _fixture.Upstream.Single();
        Assert.Equal(method, received.Method);
        Assert.Equal(upstreamPath, received.Path);
        Assert.Equal(host, received.Host);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/other/agent?apiKey=K")]
    [InlineData("/fpjsx/agent")]
    [InlineData("/FPJS/agent?apiKey=K")]
    [InlineData("/favicon.ico")]
    [InlineData("/web/v3/K/loader_v3.js")]
    public async Task PathsOutsideIntegrationPath_Get404_AndAreNeverForwarded(string target)
    {
        using var response = await Client.GetAsync(target);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_fixture.Upstream.Requests);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task StatusPage_OtherMethods_Get405_AndAreNeverForwarded(string method)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/fpjs/status"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Empty(_fixture.Upstream.Requests);
    }

    [Fact]
    public async Task UnknownHostNames_AreNeverContacted()
    {
        using var _ = await Client.PostAsync("/fpjs/result?region=attacker.example", new StringContent("{}"));
        using var __ = await Client.GetAsync("/fpjs/web/v4/x?region=%2F%2Fattacker.example");

        Assert.All(_fixture.Proxy.UpstreamHosts, host => Assert.Contains(host, new[] { "fpjs.localhost", "eu.fpjs.localhost", "ap.fpjs.localhost" }));
    }
}
