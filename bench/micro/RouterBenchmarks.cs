using BenchmarkDotNet.Attributes;
using FingerprintProxy.Configuration;
using FingerprintProxy.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace FingerprintProxy.Benchmarks;

/// <summary>Routing and the settings read: the first things every request does.</summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private ServiceProvider _services = null!;
    private ProxySettingsAccessor _accessor = null!;
    private RouteTable _routes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = ProxyServices.Create();
        _accessor = _services.GetRequiredService<ProxySettingsAccessor>();
        _routes = _accessor.Current.Routes;
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "ProxySettingsAccessor.Current")]
    public object SettingsRead() => _accessor.Current;

    [Benchmark(Description = "ProxyRouter.Match agent")]
    public string? MatchAgent() =>
        ProxyRouter.Match("/fpjs/agent", "?apiKey=Ab1Cd2Ef3Gh4Ij5Kl6Mn&version=3&loaderVersion=3.12.15", _routes).UpstreamPath;

    [Benchmark(Description = "ProxyRouter.Match identification")]
    public string? MatchIdentification() => ProxyRouter.Match("/fpjs/result", "?ci=js/3.12.15", _routes).UpstreamPath;

    [Benchmark(Description = "ProxyRouter.Match browser-cache")]
    public string? MatchBrowserCache() =>
        ProxyRouter.Match("/fpjs/result/browser-cache/Xk3p9QmT0vL2aR8s", "?ci=js/3.12.15", _routes).UpstreamPath;
}
