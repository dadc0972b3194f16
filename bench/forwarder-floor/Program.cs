using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Yarp.ReverseProxy.Forwarder;

// Kestrel and YARP's IHttpForwarder forwarding the bench's three requests to the same upstream, with the
// proxy's socket tuning and upstream client settings, YARP's default header copy and nothing else: no
// settings layer, Fingerprint transforms, body buffer, telemetry, health checks or error handling.
// It takes the proxy's command line (--urls, --FPJS_INGRESS_BASE_URL) and answers GET /healthz.
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

var upstream = app.Configuration["FPJS_INGRESS_BASE_URL"] ?? "http://localhost:18080";
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
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var transformer = new FloorTransformer();
// The proxy's request settings with its default response timeout.
var requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(20), AllowResponseBuffering = false };

app.MapGet("/healthz", () => "Healthy");
app.Map("/fpjs/{**rest}", async context => await forwarder.SendAsync(context, upstream, client, requestConfig, transformer));
app.Run();

/// <summary>YARP's default header copy, then the upstream path of each bench request: the agent's loader, identification at the root, browser-cache under it.</summary>
internal sealed class FloorTransformer : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var request = httpContext.Request;
        var path = request.Path.Value!;
        var upstreamPath = path == "/fpjs/agent"
            ? $"/web/v3/{request.Query["apiKey"]}/loader_v{request.Query["loaderVersion"]}.js"
            : path.StartsWith("/fpjs/result/", StringComparison.Ordinal) ? path["/fpjs/result".Length..] : "/";
        proxyRequest.RequestUri = new Uri(destinationPrefix + upstreamPath + request.QueryString.Value);
    }
}
