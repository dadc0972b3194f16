using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>One request as the fake Fingerprint received it: raw target, every header as sent, body bytes.</summary>
public sealed record RecordedRequest(string Method, string RawTarget, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[] Body)
{
    /// <summary>The values of a header (name case-insensitive); empty when it was not sent.</summary>
    public string[] Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? [];

    public bool HasHeader(string name) => Header(name).Length > 0;

    public string Host => string.Join(", ", Header("Host"));

    public string Path => RawTarget.Split('?')[0];

    /// <summary>The query with its leading '?', or empty when the target had none.</summary>
    public string Query => RawTarget.Contains('?') ? RawTarget[RawTarget.IndexOf('?')..] : string.Empty;
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 standing in for Fingerprint (every ingress host name resolves to
/// it): records each request and answers with <see cref="Responder"/>.
/// </summary>
public sealed class FakeFingerprint : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication _app = null!;

    private FakeFingerprint()
    {
    }

    public int Port { get; private set; }

    /// <summary>Answers each request after it was recorded; by default 200 with a small JSON body.</summary>
    public Func<HttpContext, Task> Responder { get; set; } = DefaultResponder;

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public static Task DefaultResponder(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"ok\":true}");
    }

    public static async Task<FakeFingerprint> StartAsync()
    {
        var fake = new FakeFingerprint();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        fake._app = builder.Build();
        fake._app.Run(fake.HandleAsync);
        await fake._app.StartAsync();
        fake.Port = new Uri(fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return fake;
    }

    /// <summary>The only request received since the last <see cref="Clear"/>; fails when there were none or several.</summary>
    public RecordedRequest Single() => Assert.Single(_requests);

    /// <summary>Forgets what was received and restores the default answer.</summary>
    public void Clear()
    {
        _requests.Clear();
        Responder = DefaultResponder;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.Select(h => new KeyValuePair<string, string[]>(h.Key, h.Value.ToArray()!)).ToList();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        _requests.Enqueue(new RecordedRequest(context.Request.Method, rawTarget, headers, body.ToArray()));
        await Responder(context);
    }
}
