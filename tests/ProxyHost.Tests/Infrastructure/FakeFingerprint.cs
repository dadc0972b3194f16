using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.Tests.Infrastructure;

/// <summary>One request as the fake Fingerprint received it.</summary>
public sealed record RecordedRequest(string Method, string RawTarget, string Host, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[] Body)
{
    /// <summary>The values of a header (case-insensitive name); empty when it was not sent.</summary>
    public string[] Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? [];

    public bool HasHeader(string name) => Header(name).Length > 0;

    public string Path => RawTarget.Split('?')[0];

    public string Query => RawTarget.Contains('?') ? RawTarget[RawTarget.IndexOf('?')..] : string.Empty;
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 standing in for Fingerprint: it records every request it receives
/// (raw target, headers, body bytes) and answers with whatever the test sets in <see cref="Responder"/>.
/// </summary>
public sealed class FakeFingerprint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeFingerprint(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Answers each request; the default is 200 with a small JSON body.</summary>
    public Func<HttpContext, Task> Responder { get; set; } = DefaultResponder;

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public static Task DefaultResponder(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"ok\":true}");
    }

    public static async Task<FakeFingerprint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var fake = new FakeFingerprint(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Port = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return fake;
    }

    /// <summary>The only request received since the last <see cref="Clear"/>; fails if there were none or several.</summary>
    public RecordedRequest Single() => Assert.Single(_requests);

    public void Clear()
    {
        _requests.Clear();
        Responder = DefaultResponder;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.Select(h => new KeyValuePair<string, string[]>(h.Key, h.Value.ToArray()!)).ToList();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        _requests.Enqueue(new RecordedRequest(context.Request.Method, rawTarget, context.Request.Host.Value ?? string.Empty, headers, body.ToArray()));
        await Responder(context);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A loopback port with nothing listening: connecting to it is refused.</summary>
    public static int ClosedPort()
    {
        // Bound but never listening, and kept for the whole run: connecting is refused, and no other test's
        // server can be given this port in the meantime (a port merely released could be).
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        HeldPorts.Add(socket);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static readonly ConcurrentBag<System.Net.Sockets.Socket> HeldPorts = [];
}
