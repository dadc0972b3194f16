using FingerprintProxy.Configuration;
using FingerprintProxy.Proxy;

namespace FingerprintProxy.Tests.Proxy;

public sealed class ProxyRouterTests
{
    private static readonly RouteTable Settings = new();

    [Theory]
    [InlineData("/fpjs/agent", "?apiKey=K&version=3&loaderVersion=3.12.15", "Agent", "https://api.fpjs.io", "/web/v3/K/loader_v3.12.15.js")]
    [InlineData("/fpjs/agent", "?apiKey=K", "Agent", "https://api.fpjs.io", "/web/v3/K")]
    [InlineData("/fpjs/agent", "?apiKey=K&apiKey=other", "Agent", "https://api.fpjs.io", "/web/v3/K")]
    [InlineData("/fpjs/result", "?region=eu", "Result", "https://eu.api.fpjs.io", "/")]
    [InlineData("/fpjs/result/", "", "Result", "https://api.fpjs.io", "/")]
    [InlineData("/fpjs/result/a/b", "?region=ap", "Result", "https://ap.api.fpjs.io", "/a/b")]
    [InlineData("/fpjs/results", "", "CatchAll", "https://api.fpjs.io", "/results")]
    [InlineData("/fpjs/web/v4/K", "?region=e%75", "CatchAll", "https://eu.api.fpjs.io", "/web/v4/K")]
    [InlineData("/fpjs/", "", "CatchAll", "https://api.fpjs.io", "/")]
    [InlineData("/fpjs", "", "CatchAll", "https://api.fpjs.io", "/")]
    [InlineData("/fpjs/status", "", "Status", null, null)]
    [InlineData("/fpjs/status", "?format=json", "Status", null, null)]
    [InlineData("/fpjsx", "", "NotFound", null, null)]
    [InlineData("/", "", "NotFound", null, null)]
    [InlineData("/other/fpjs/agent", "", "NotFound", null, null)]
    [InlineData("/fpjs/a/../b", "", "BadRequest", null, null)]
    [InlineData("/fpjs/%2E%2e", "", "BadRequest", null, null)]
    [InlineData("/fpjs/a%2fb", "", "BadRequest", null, null)]
    [InlineData("/fpjs/a\\b", "", "BadRequest", null, null)]
    [InlineData("/fpjs/a/é", "", "BadRequest", null, null)]
    [InlineData("/fpjs/web", "?q=a b", "BadRequest", null, null)]
    [InlineData("/fpjs/...", "", "CatchAll", "https://api.fpjs.io", "/...")]
    [InlineData("/fpjs/.well-known/x", "", "CatchAll", "https://api.fpjs.io", "/.well-known/x")]
    public void Match_MapsEachPathToItsRoute(string path, string query, string kind, string? origin, string? upstreamPath)
    {
        var match = ProxyRouter.Match(path, query, Settings);

        Assert.Equal(kind, match.Kind.ToString());
        Assert.Equal(origin, match.Origin);
        Assert.Equal(upstreamPath, match.UpstreamPath);
        Assert.Equal(kind == "BadRequest", match.Error is not null);
    }

    [Theory]
    [InlineData("/agent", "?apiKey=K", "Agent")]
    [InlineData("/result", "", "Result")]
    [InlineData("/status", "", "Status")]
    [InlineData("/", "", "CatchAll")]
    [InlineData("/web/v4/K", "", "CatchAll")]
    public void EmptyBehaviorPath_RoutesFromTheRoot(string path, string query, string kind)
    {
        Assert.Equal(kind, ProxyRouter.Match(path, query, Settings with { BehaviorPath = string.Empty }).Kind.ToString());
    }

    [Theory]
    [InlineData("?a=1&region=eu", "region", "eu")]
    [InlineData("region=ap", "region", "ap")]
    [InlineData("?regionx=eu&region=", "region", "")]
    [InlineData("?region", "region", "")]
    [InlineData("?a=%7e+b", "a", "~ b")]
    [InlineData("?a=1", "region", null)]
    [InlineData("", "region", null)]
    public void RawQuery_ReadsTheFirstDecodedValue(string query, string key, string? expected)
    {
        Assert.Equal(expected, RawQuery.GetFirst(query, key));
    }
}
