using System.Net;
using System.Net.Sockets;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace FingerprintProxy.Tests.Health;

/// <summary>
/// A stop that loses no request: readiness turns 503 at once, requests are still served (with
/// <c>Connection: close</c>) for the drain delay, then new connections are refused while a request in flight
/// still gets its answer. The drain runs on a fake clock.
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stop_TurnsReadinessOff_Drains_ThenRefusesConnections_WhileTheRequestInFlightFinishes()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        upstream.Responder = async context =>
        {
            if (context.Request.Path == "/slow")
            {
                received.TrySetResult();
                await release.Task;
            }

            await FakeFingerprint.DefaultResponder(context);
        };
        var clock = new FakeTimeProvider();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_SHUTDOWN_DRAIN_SECONDS=5"],
            builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var inFlightClient = NewClient(proxy.Port);
        var inFlight = inFlightClient.PostAsync("/fpjs/slow", new ByteArrayContent([1, 2, 3]));
        await received.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var lifetime = proxy.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.StopApplication();

        // Draining: not ready, but still serving, and telling clients to go elsewhere.
        using (var client = NewClient(proxy.Port))
        {
            using var ready = await client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var served = await client.GetAsync("/fpjs/web/v4/K");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.True(served.Headers.ConnectionClose);
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        await RefusesConnectionsAsync(proxy.Port);

        release.SetResult();
        using var answer = await inFlight.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private static HttpClient NewClient(int port) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

    /// <summary>Connects until the listener is gone (it closes once the drain ends), failing after a deadline.</summary>
    private static async Task RefusesConnectionsAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "The server still accepts connections after the drain.");
            await Task.Yield();
        }
    }
}
