using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// The narrowest HTTP/1.1 relay on Kestrel, in place of YARP and SocketsHttpHandler: the request head
/// and a body with a known length written to a pooled upstream connection in one send, the response's
/// head parsed in place and its body relayed as it comes. It exists to measure how far under the
/// forward floor a hand-written forwarder could go, and knows only what the bench's upstream does:
/// plain HTTP, a Content-Length on every request with a body and on every response, no 1xx, no
/// timeouts, request heads and bodies that fit its buffer. A pooled connection found closed by the
/// upstream is replaced once. bench/run.sh checks that it answers as the YARP floor does.
/// </summary>
internal sealed class Relay(Uri upstream)
{
    private const int BufferSize = 32 * 1024;
    private readonly ConcurrentStack<Socket> _idle = new();
    private readonly DnsEndPoint _endPoint = new(upstream.Host, upstream.Port);
    private readonly byte[] _hostLine = Encoding.ASCII.GetBytes($"Host: {upstream.Authority}\r\n");

    public async Task RelayAsync(HttpContext context)
    {
        var request = ArrayPool<byte>.Shared.Rent(BufferSize);
        var response = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var length = await ReadRequestAsync(context.Request, request);
            for (var attempt = 0; ; attempt++)
            {
                var pooled = _idle.TryPop(out var socket);
                socket ??= await Http1.ConnectAsync(_endPoint);
                var reusable = false;
                try
                {
                    await socket.SendAsync(request.AsMemory(0, length), SocketFlags.None);
                    reusable = await RelayResponseAsync(socket, response, context.Response);
                    return;
                }
                catch (UpstreamClosedException) when (pooled && attempt == 0)
                {
                    // Closed while it sat in the pool (keep-alive timeout): nothing was relayed yet.
                }
                finally
                {
                    if (reusable)
                    {
                        _idle.Push(socket);
                    }
                    else
                    {
                        socket.Dispose();
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(request);
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    /// <summary>The request head, then its body, into <paramref name="buffer"/>; returns the length.</summary>
    private async ValueTask<int> ReadRequestAsync(HttpRequest request, byte[] buffer)
    {
        var length = WriteHead(request, buffer);
        var end = length + checked((int)(request.ContentLength ?? 0));
        while (length < end)
        {
            var read = await request.Body.ReadAsync(buffer.AsMemory(length, end - length));
            if (read == 0)
            {
                throw new IOException("The request body ended before its Content-Length.");
            }
            length += read;
        }
        return length;
    }

    private int WriteHead(HttpRequest request, Span<byte> buffer)
    {
        var length = Encoding.ASCII.GetBytes(request.Method, buffer);
        buffer[length++] = (byte)' ';
        length += Encoding.Latin1.GetBytes(UpstreamTarget.Of(request), buffer[length..]);
        length += Http1.Append(" HTTP/1.1\r\n"u8, buffer[length..]);
        length += Http1.Append(_hostLine, buffer[length..]);
        foreach (var (name, values) in request.Headers)
        {
            if (Http1.IsHopByHop(name) || name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            foreach (var value in values)
            {
                length += Encoding.Latin1.GetBytes(name, buffer[length..]);
                length += Http1.Append(": "u8, buffer[length..]);
                length += Encoding.Latin1.GetBytes(value!, buffer[length..]);
                length += Http1.Append("\r\n"u8, buffer[length..]);
            }
        }
        return length + Http1.Append("\r\n"u8, buffer[length..]);
    }

    /// <summary>Relays one response; returns whether the connection can carry the next request.</summary>
    private static async ValueTask<bool> RelayResponseAsync(Socket socket, byte[] buffer, HttpResponse response)
    {
        var (filled, bodyStart) = await Http1.ReceiveResponseHeadAsync(socket, buffer);
        var (contentLength, keepAlive) = ApplyHead(buffer.AsSpan(0, bodyStart - 4), response);
        var buffered = (int)Math.Min(filled - bodyStart, contentLength);
        await response.Body.WriteAsync(buffer.AsMemory(bodyStart, buffered));
        for (var remaining = contentLength - buffered; remaining > 0;)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("The upstream closed the connection in a response body.");
            }
            await response.Body.WriteAsync(buffer.AsMemory(0, read));
            remaining -= read;
        }
        return keepAlive && filled - bodyStart == buffered;
    }

    /// <summary>The status line and headers onto the response; returns the body's length and whether the upstream keeps the connection.</summary>
    private static (long ContentLength, bool KeepAlive) ApplyHead(ReadOnlySpan<byte> head, HttpResponse response)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        if (!head.StartsWith("HTTP/1.1 "u8) || lineEnd < 12 || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
        {
            throw new InvalidDataException("The upstream's status line is not HTTP/1.1.");
        }
        response.StatusCode = status;
        long contentLength = -1;
        var keepAlive = true;
        for (var rest = head[(lineEnd + 2)..]; !rest.IsEmpty;)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? [] : rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (!Http1.ReadFraming(name, value, ref contentLength, ref keepAlive) && !Http1.IsHopByHop(name))
            {
                response.Headers.Append(Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value));
            }
        }
        if (contentLength < 0)
        {
            throw new NotSupportedException("The relay knows only responses with a Content-Length.");
        }
        response.ContentLength = contentLength;
        return (contentLength, keepAlive);
    }
}
