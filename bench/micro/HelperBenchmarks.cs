using BenchmarkDotNet.Attributes;
using FingerprintProxy.Transforms;
using Microsoft.Extensions.Primitives;

namespace FingerprintProxy.Benchmarks;

/// <summary>The pure helpers the transforms call on every request.</summary>
[MemoryDiagnoser]
public class HelperBenchmarks
{
    private readonly StringValues _cookie = new(BrowserRequest.Cookie);
    private readonly PublicSuffixList _suffixes = PublicSuffixList.Default;

    [Benchmark(Description = "CookieFilter.KeepOnly (5 cookies, keep _iidt)")]
    public string? CookieFilterKeepOnly() => CookieFilter.KeepOnly(_cookie, FingerprintHeaders.IidtCookie);

    [Benchmark(Description = "CacheControlCap.Apply (public, max-age=7200)")]
    public string CacheControlCapAgent() => CacheControlCap.Apply("public, max-age=7200");

    [Benchmark(Description = "CacheControlCap.Apply (already capped)")]
    public string CacheControlCapUnchanged() => CacheControlCap.Apply("public, max-age=3600, s-maxage=60");

    [Benchmark(Description = "SetCookieScope.Rescope (Domain matches)")]
    public string SetCookieScopeMatching() => SetCookieScope.Rescope(BrowserRequest.SetCookie, BrowserRequest.ViewerHost, _suffixes);

    [Benchmark(Description = "SetCookieScope.Rescope (Domain re-scoped)")]
    public string SetCookieScopeRescoped() => SetCookieScope.Rescope(BrowserRequest.SetCookie, "www.shop.co.uk", _suffixes);

    [Benchmark(Description = "PublicSuffixList.GetRegistrableDomain (www.shop.co.uk)")]
    public string? RegistrableDomain() => _suffixes.GetRegistrableDomain("www.shop.co.uk");

    [Benchmark(Description = "PublicSuffixList.IsPublicSuffix (example.test)")]
    public bool IsPublicSuffix() => _suffixes.IsPublicSuffix("example.test");
}
