using BenchmarkDotNet.Attributes;
using FingerprintProxy.Proxy;
using FingerprintProxy.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Benchmarks;

/// <summary>
/// The whole transform pipeline as the forwarder runs it (YARP's header copy plus every Fingerprint
/// transform), against YARP's default transformer (header copy only): the difference is what the
/// Fingerprint contract costs per request.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const string Destination = "http://localhost:18080";
    private ServiceProvider _services = null!;
    private HttpTransformer _ours = null!;
    private DefaultHttpContext _agent = null!;
    private DefaultHttpContext _identification = null!;
    private HttpResponseMessage _agentResponse = null!;
    private HttpResponseMessage _identificationResponse = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = ProxyServices.Create();
        _ours = _services.Settings().Transformer;
        _agent = BrowserRequest.Agent();
        _identification = BrowserRequest.Identification();
        _agentResponse = BrowserRequest.AgentResponse();
        _identificationResponse = BrowserRequest.IdentificationResponse();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "request: YARP default (GET agent)")]
    public async Task<HttpRequestMessage> RequestDefaultAgent() => await Request(HttpTransformer.Default, _agent);

    [Benchmark(Description = "request: ours (GET agent)")]
    public async Task<HttpRequestMessage> RequestOursAgent() => await Request(_ours, _agent);

    [Benchmark(Description = "request: YARP default (POST identification)")]
    public async Task<HttpRequestMessage> RequestDefaultIdentification() => await Request(HttpTransformer.Default, _identification);

    [Benchmark(Description = "request: ours (POST identification)")]
    public async Task<HttpRequestMessage> RequestOursIdentification() => await Request(_ours, _identification);

    [Benchmark(Description = "response: YARP default (agent)")]
    public async Task<bool> ResponseDefaultAgent() => await Response(HttpTransformer.Default, _agent, _agentResponse);

    [Benchmark(Description = "response: ours (agent)")]
    public async Task<bool> ResponseOursAgent() => await Response(_ours, _agent, _agentResponse);

    [Benchmark(Description = "response: YARP default (identification)")]
    public async Task<bool> ResponseDefaultIdentification() => await Response(HttpTransformer.Default, _identification, _identificationResponse);

    [Benchmark(Description = "response: ours (identification)")]
    public async Task<bool> ResponseOursIdentification() => await Response(_ours, _identification, _identificationResponse);

    private static async ValueTask<HttpRequestMessage> Request(HttpTransformer transformer, HttpContext context)
    {
        // A fresh target per request, as the handler sets one: the ii transform appends to its query.
        var target = context.Features.Get<ForwardTarget>()!;
        context.Features.Set(new ForwardTarget(target.Origin, target.Path, "?ci=js/3.12.15"));
        var request = new HttpRequestMessage(HttpMethod.Get, (Uri?)null);
        if (HttpMethods.IsPost(context.Request.Method))
        {
            request.Method = HttpMethod.Post;
            request.Content = new ByteArrayContent([]);
        }

        await transformer.TransformRequestAsync(context, request, Destination, CancellationToken.None);
        return request;
    }

    private static async ValueTask<bool> Response(HttpTransformer transformer, HttpContext context, HttpResponseMessage response)
    {
        context.Response.Headers.Clear();
        return await transformer.TransformResponseAsync(context, response, CancellationToken.None);
    }
}

/// <summary>
/// Each Fingerprint transform alone, through a <see cref="RequestTransformContext"/> or
/// <see cref="ResponseTransformContext"/> as YARP passes it. Every operation starts from a fresh proxy
/// request; "context only" measures that set-up, to be subtracted.
/// </summary>
[MemoryDiagnoser]
public class TransformBenchmarks
{
    private readonly RequestPlatformHeadersRemovalTransform _platform = new(["x-fpjs-viewer-ip", "x-fpjs-viewer-host", "x-origin-verify"]);
    private readonly RequestCookieFilterTransform _cookie = new();
    private readonly RequestProxySecretTransform _secret = new(_ => "bench-proxy-secret");
    private readonly RequestClientIpTransform _clientIp = new();
    private readonly RequestForwardedHostTransform _forwardedHost = new();
    private readonly RequestIntegrationInfoTransform _ii = new(ProxyIntegration.Info);
    private readonly RequestDestinationTransform _destination = new();
    private readonly ResponseAgentCacheControlTransform _cacheControl = new();
    private readonly ResponseSetCookieScopeTransform _setCookie = new(PublicSuffixList.Default);
    private DefaultHttpContext _post = null!;
    private DefaultHttpContext _agentResponse = null!;
    private DefaultHttpContext _identificationResponse = null!;

    [GlobalSetup]
    public void Setup()
    {
        _post = BrowserRequest.Identification();
        _agentResponse = BrowserRequest.Agent();
        _agentResponse.Response.ContentType = "text/javascript; charset=utf-8";
        _identificationResponse = BrowserRequest.Identification();
        _identificationResponse.Response.Headers.SetCookie = BrowserRequest.SetCookie;
    }

    [Benchmark(Baseline = true, Description = "context only")]
    public RequestTransformContext ContextOnly() => NewContext();

    [Benchmark(Description = "RequestPlatformHeadersRemovalTransform")]
    public ValueTask PlatformHeaders() => _platform.ApplyAsync(NewContext());

    [Benchmark(Description = "RequestCookieFilterTransform (POST)")]
    public ValueTask CookieFilter() => _cookie.ApplyAsync(NewContext());

    [Benchmark(Description = "RequestProxySecretTransform (POST)")]
    public ValueTask ProxySecret() => _secret.ApplyAsync(NewContext());

    [Benchmark(Description = "RequestClientIpTransform (POST)")]
    public ValueTask ClientIp() => _clientIp.ApplyAsync(NewContext());

    [Benchmark(Description = "RequestForwardedHostTransform (POST)")]
    public ValueTask ForwardedHost() => _forwardedHost.ApplyAsync(NewContext());

    [Benchmark(Description = "RequestIntegrationInfoTransform (POST)")]
    public ValueTask IntegrationInfo()
    {
        _post.Features.Set(new ForwardTarget("http://localhost:18080", "/", "?ci=js/3.12.15"));
        return _ii.ApplyAsync(NewContext());
    }

    [Benchmark(Description = "RequestDestinationTransform")]
    public ValueTask Destination() => _destination.ApplyAsync(NewContext());

    [Benchmark(Description = "ResponseAgentCacheControlTransform (JS)")]
    public ValueTask AgentCacheControl()
    {
        _agentResponse.Response.Headers.CacheControl = "public, max-age=7200";
        return _cacheControl.ApplyAsync(new ResponseTransformContext { HttpContext = _agentResponse, ProxyResponse = null, HeadersCopied = true });
    }

    [Benchmark(Description = "ResponseSetCookieScopeTransform (Domain matches)")]
    public ValueTask SetCookieScope() =>
        _setCookie.ApplyAsync(new ResponseTransformContext { HttpContext = _identificationResponse, ProxyResponse = null, HeadersCopied = true });

    private RequestTransformContext NewContext() => new()
    {
        HttpContext = _post,
        ProxyRequest = new HttpRequestMessage(),
        Path = _post.Request.Path,
        Query = new QueryTransformContext(_post.Request),
        DestinationPrefix = "http://localhost:18080",
        HeadersCopied = false,
    };
}
