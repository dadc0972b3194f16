using System.Net;
using System.Net.Sockets;
using System.Text;
using FingerprintProxy.Proxy;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Tests.Proxy;

/// <summary>
/// What the proxy does at the connection level, over raw sockets where the behaviour lives below
/// <see cref="HttpClient"/>: an answer given before the body was read closes the connection (so a kept-alive
/// client never writes its next request into a closing socket), a refused request never opens a connection
/// upstream, and request targets and upgrades that could slip past the path rules are refused.
/// </summary>
public sealed class ConnectionHandlingTests
{
    [Theory]
    [InlineData("POST /fpjs/result HTTP/1.1\r\nHost: www.example.com\r\nContent-Length: 1100000\r\n\r\n", 413)]
    [InlineData("POST /elsewhere HTTP/1.1\r\nHost: www.example.com\r\nContent-Length: 2000000\r\n\r\n", 404)]
    [InlineData("POST /fpjs/a/../b HTTP/1.1\r\nHost: www.example.com\r\nContent-Length: 500\r\n\r\n", 400)]
    [InlineData("POST /fpjs/result HTTP/1.1\r\nHost: www.example.com\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    public async Task EarlyAnswer_WithTheBodyUnread_SaysConnectionClose_AndCloses(string head, int expected)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);
        using var socket = await ConnectAsync(proxy.Port);

        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        var response = await ReadToEndAsync(socket);

        Assert.StartsWith($"HTTP/1.1 {expected} ", response);
        Assert.Contains("\r\nConnection: close\r\n", response);
        Assert.Empty(proxy.UpstreamHosts);
    }

    [Fact]
    public async Task SocketTransport_ReadsWithoutWaitingForDataFirst()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        var sockets = proxy.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.False(sockets.WaitForDataBeforeAllocatingBuffer);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SocketTransport_SchedulesInline_OnlyWithTheRuntimesInlineCompletions(bool inlineCompletions)
    {
        var sockets = new SocketTransportOptions();

        ProxyServiceCollectionExtensions.ConfigureSockets(sockets, inlineCompletions);

        Assert.Equal(inlineCompletions, sockets.UnsafePreferInlineScheduling);
        Assert.False(sockets.WaitForDataBeforeAllocatingBuffer);
    }

    [Fact]
    public async Task EarlyAnswer_WithoutABody_KeepsTheConnectionForTheNextRequest()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);
        using var socket = await ConnectAsync(proxy.Port);

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /elsewhere HTTP/1.1\r\nHost: www.example.com\r\n\r\n"));
        var first = await RawHttp.ReadResponseAsync(new NetworkStream(socket, ownsSocket: false));
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: www.example.com\r\n\r\n"));
        var second = await RawHttp.ReadResponseAsync(new NetworkStream(socket, ownsSocket: false));

        Assert.StartsWith("HTTP/1.1 404 ", first);
        Assert.DoesNotContain("Connection: close", first);
        Assert.StartsWith("HTTP/1.1 200 ", second);
    }

    [Fact]
    public async Task KeepAliveClient_AfterA413_SendsItsNextRequestSuccessfully()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_MAX_BODY_BYTES=1000"]);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}"),
        };

        // Expect: 100-continue: the client sends the body only if asked, so nothing races the early answer.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fpjs/result") { Content = new ByteArrayContent(new byte[5000]) };
        request.Headers.ExpectContinue = true;
        using var refused = await client.SendAsync(request);
        using var next = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.True(refused.Headers.ConnectionClose);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData("2000\r\n")]
    [InlineData("400\r\n")]
    public async Task ChunkedBodyOverTheLimit_Gets413_AndNeverOpensAnUpstreamConnection(string chunkSize)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_MAX_BODY_BYTES=1000"]);
        var size = Convert.ToInt32(chunkSize.TrimEnd(), 16);
        var chunk = chunkSize + new string('a', size) + "\r\n";
        var head = "POST /fpjs/result HTTP/1.1\r\nHost: www.example.com\r\nTransfer-Encoding: chunked\r\n\r\n";

        var (status, _) = await RawHttp.SendAsync(proxy.Port, head + chunk + chunk + chunk + "0\r\n\r\n");

        Assert.Equal(413, status);
        Assert.Empty(proxy.UpstreamHosts);
    }

    [Fact]
    public async Task ChunkedBodyWithinTheLimit_IsForwardedWhole_WithItsLength()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);
        var head = "POST /fpjs/result HTTP/1.1\r\nHost: www.example.com\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";

        var (status, _) = await RawHttp.SendAsync(proxy.Port, head + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");

        Assert.Equal(200, status);
        var received = upstream.Single();
        Assert.Equal("hello world"u8.ToArray(), received.Body);
        Assert.Equal(["11"], received.Header("Content-Length"));
        Assert.False(received.HasHeader("Transfer-Encoding"));
    }

    [Theory]
    [InlineData("GET http://a/fpjs/x%2Fy HTTP/1.1", 400)]
    [InlineData("GET http://a/fpjs/a/../b HTTP/1.1", 400)]
    [InlineData("GET HTTP://a/fpjs/%2e%2e/admin HTTP/1.1", 400)]
    [InlineData("GET http://a/other/path HTTP/1.1", 404)]
    [InlineData("GET http://a HTTP/1.1", 404)]
    public async Task AbsoluteFormTarget_IsCheckedLikeOriginForm_AndNeverForwarded(string requestLine, int expected)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        var (status, _) = await RawHttp.SendAsync(proxy.Port, requestLine + "\r\nHost: a\r\nConnection: close\r\n\r\n");

        Assert.Equal(expected, status);
        Assert.Empty(proxy.UpstreamHosts);
    }

    [Fact]
    public async Task AbsoluteFormTarget_OnAValidRoute_IsForwardedWithItsRawPathAndQuery()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        var (status, _) = await RawHttp.SendAsync(proxy.Port, "GET http://a/fpjs/web/v4/K?ci=jsl%2F4.1.5 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, status);
        Assert.Equal("/web/v4/K?ci=jsl%2F4.1.5", upstream.Single().RawTarget);
    }

    [Fact]
    public async Task WebSocketUpgrade_IsRefused_AndNeverForwarded()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);

        var (status, response) = await RawHttp.SendAsync(proxy.Port,
            "GET /fpjs/web/v4/K HTTP/1.1\r\nHost: www.example.com\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

        Assert.Equal(400, status);
        Assert.Contains("Protocol upgrades are not supported.", response);
        Assert.Empty(proxy.UpstreamHosts);
    }

    [Theory]
    [InlineData("GET /elsewhere HTTP/1.1", 404)]
    [InlineData("GET /fpjs/a%2Fb HTTP/1.1", 400)]
    [InlineData("POST /fpjs/status HTTP/1.1", 405)]
    [InlineData("POST /fpjs/result HTTP/1.1\r\nContent-Length: 2000", 413)]
    public async Task ProxysOwnAnswer_ToARequestWithOrigin_IsReadableByThePage(string requestLine, int expected)
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_MAX_BODY_BYTES=1000"]);

        var (status, response) = await RawHttp.SendAsync(proxy.Port,
            requestLine + "\r\nHost: metrics.example.com\r\nOrigin: https://www.example.com\r\nConnection: close\r\n\r\n");

        Assert.Equal(expected, status);
        Assert.Contains("\r\nAccess-Control-Allow-Origin: https://www.example.com\r\n", response);
        Assert.Contains("\r\nAccess-Control-Allow-Credentials: true\r\n", response);
        Assert.Contains("\r\nVary: Origin\r\n", response);
    }

    [Fact]
    public async Task Forbidden_WithOrigin_IsReadableByThePage()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_ORIGIN_VERIFY_SECRET=verify-value-0a1b"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fpjs/web/v4/K");
        request.Headers.TryAddWithoutValidation("Origin", "https://www.example.com");

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["https://www.example.com"], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ClientThatNeverReadsALargeResponse_LosesItsConnection_WithinTheResponseTimeout()
    {
        await using var upstream = await FakeFingerprint.StartAsync();
        var large = new byte[16 * 1024 * 1024];
        upstream.Responder = context =>
        {
            context.Response.ContentType = "application/octet-stream";
            return context.Response.Body.WriteAsync(large).AsTask();
        };
        await using var proxy = await ProxyServer.StartAsync(upstream.Port, ["--FPJS_RESPONSE_TIMEOUT_SECONDS=1"]);
        using var socket = await ConnectAsync(proxy.Port);
        socket.ReceiveBufferSize = 4096;

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /fpjs/web/v4/K HTTP/1.1\r\nHost: www.example.com\r\n\r\n"));

        // The client reads nothing; once the relay stalls for the response timeout the proxy drops the
        // connection (the kernel then reports it closed or reset to the first read). A connection still
        // open after this deadline would be held by a client that never reads.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (IsOpen(socket))
        {
            Assert.True(DateTime.UtcNow < deadline, "The proxy kept the connection of a client that never reads.");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// True while the proxy keeps the connection, found without reading: an empty line (which HTTP allows
    /// between requests) sent to a connection the peer has closed or reset fails, at the latest on the
    /// next send.
    /// </summary>
    private static bool IsOpen(Socket socket)
    {
        try
        {
            socket.Send("\r\n"u8);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    /// <summary>Everything the server sends until it closes the connection (fails the test if it never does).</summary>
    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset after the answer still ends the connection.
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }
}
