using BenchmarkDotNet.Attributes;
using FingerprintProxy.Configuration;
using FingerprintProxy.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Benchmarks;

/// <summary>Routing and the settings read: the first things every request does.</summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private readonly ProxySettingsStore _store = new(
        Options.Create(new ProxyOptions { IngressBaseUrl = "http://localhost:18080", PreSharedSecret = "bench-proxy-secret" }),
        new ConfigurationBuilder().Build());

    private ProxySettings _settings = null!;

    [GlobalSetup]
    public void Setup() => _settings = _store.Current;

    [Benchmark(Description = "ProxySettingsStore.Current")]
    public ProxySettings SettingsRead() => _store.Current;

    [Benchmark(Description = "ProxyRouter.Match agent")]
    public string? MatchAgent() =>
        ProxyRouter.Match("/fpjs/agent", "?apiKey=Ab1Cd2Ef3Gh4Ij5Kl6Mn&version=3&loaderVersion=3.12.15", _settings).UpstreamPath;

    [Benchmark(Description = "ProxyRouter.Match identification")]
    public string? MatchIdentification() => ProxyRouter.Match("/fpjs/result", "?ci=js/3.12.15", _settings).UpstreamPath;

    [Benchmark(Description = "ProxyRouter.Match browser-cache")]
    public string? MatchBrowserCache() =>
        ProxyRouter.Match("/fpjs/result/browser-cache/Xk3p9QmT0vL2aR8s", "?ci=js/3.12.15", _settings).UpstreamPath;
}
