using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Yarp.ReverseProxy.Forwarder;

// The floors under the proxy's request path, for the bench's three requests, each with the proxy's
// socket tuning, log levels and image settings and nothing of the proxy's own (no settings layer,
// Fingerprint transforms, body buffer, telemetry, health checks or error pages). `--Mode`:
//   forward  Kestrel and YARP's IHttpForwarder with the proxy's upstream client settings and YARP's
//            default header copy (the default)
//   relay    Kestrel and the narrowest HTTP/1.1 relay (Relay.cs) in place of YARP and SocketsHttpHandler
//   answer   Kestrel alone: each request read whole and answered from memory with what the upstream
//            answered the first time (Answerer.cs); no upstream hop
//   raw      no Kestrel and no ASP.NET Core: .NET's sockets alone, shaped as nginx is (RawForwarder.cs)
// It takes the proxy's command line (--urls, --FPJS_INGRESS_BASE_URL) and answers GET /healthz.
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
if (settings["Mode"] == "raw")
{
    var listen = new Uri(settings["urls"] ?? "http://127.0.0.1:5000");
    await new RawForwarder(new IPEndPoint(IPAddress.Parse(listen.Host), listen.Port), UpstreamOf(settings)).RunAsync();
    return;
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddHttpForwarder();
// The proxy's log levels (its appsettings.json): YARP would otherwise log two lines per request.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Yarp", LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.Configure<SocketTransportOptions>(sockets =>
{
    // As the proxy (src/ProxyHost/Proxy/ProxyServiceCollectionExtensions.cs).
    sockets.WaitForDataBeforeAllocatingBuffer = false;
    sockets.UnsafePreferInlineScheduling = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1";
});
var app = builder.Build();

var upstream = UpstreamOf(app.Configuration);
var client = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(5),
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
});

app.MapGet("/healthz", () => "Healthy");
RequestDelegate handler = (app.Configuration["Mode"] ?? "forward") switch
{
    "forward" => Forward(),
    "relay" => new Relay(upstream).RelayAsync,
    "answer" => new Answerer(upstream, client).AnswerAsync,
    var mode => throw new ArgumentException($"--Mode must be forward, relay, answer or raw, not '{mode}'."),
};
app.Map("/fpjs/{**rest}", handler);
app.Run();

static Uri UpstreamOf(IConfiguration configuration) => new(configuration["FPJS_INGRESS_BASE_URL"] ?? "http://localhost:18080");

RequestDelegate Forward()
{
    var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
    var transformer = new FloorTransformer();
    // The proxy's request settings with its default response timeout.
    var requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(20), AllowResponseBuffering = false };
    var destinationPrefix = upstream.GetLeftPart(UriPartial.Authority);
    return async context => await forwarder.SendAsync(context, destinationPrefix, client, requestConfig, transformer);
}

/// <summary>YARP's default header copy, then the upstream path of each bench request.</summary>
internal sealed class FloorTransformer : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = new Uri(destinationPrefix + UpstreamTarget.Of(httpContext.Request));
    }
}

internal static class UpstreamTarget
{
    /// <summary>
    /// The upstream request target of a bench request: the agent's loader, identification at the root,
    /// browser-cache under it; the query as received.
    /// </summary>
    public static string Of(HttpRequest request) => Of(request.Path.Value!, request.QueryString.Value ?? "");

    /// <summary>The same from the path and the query (with its <c>?</c>, or empty) as the client sent them.</summary>
    public static string Of(string path, string query)
    {
        var upstreamPath = path == "/fpjs/agent"
            ? $"/web/v3/{Parameter(query, "apiKey")}/loader_v{Parameter(query, "loaderVersion")}.js"
            : path.StartsWith("/fpjs/result/", StringComparison.Ordinal) ? path["/fpjs/result".Length..] : "/";
        return upstreamPath + query;
    }

    /// <summary>The first value of a query parameter, as sent (the bench's values need no decoding).</summary>
    private static ReadOnlySpan<char> Parameter(string query, string name)
    {
        var pairs = query.AsSpan().TrimStart('?');
        foreach (var range in pairs.Split('&'))
        {
            var pair = pairs[range];
            if (pair.StartsWith(name) && pair.Length > name.Length && pair[name.Length] == '=')
            {
                return pair[(name.Length + 1)..];
            }
        }
        return [];
    }
}
