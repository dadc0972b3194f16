using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// A forwarder with neither Kestrel nor ASP.NET Core: .NET's sockets alone, shaped as nginx is. Each
/// client connection has two buffers and one upstream connection of its own; the request head is parsed
/// in place and the upstream's head written from it, with the body, in one send; the response head is
/// passed through as it came, less its hop-by-hop headers, in one send with the body's first bytes. It
/// exists to measure how little a forwarder on .NET can cost, with none of what an ASP.NET Core server
/// does for each request, and knows only what the bench's clients and upstream do: plain HTTP/1.1, a
/// Content-Length on every request with a body and on every response, no 1xx, no timeouts, heads and
/// bodies that fit its buffers. bench/run.sh checks that it answers with the YARP floor's headers.
/// </summary>
internal sealed class RawForwarder(IPEndPoint listen, Uri upstream)
{
    private const int BufferSize = 32 * 1024;
    private static readonly byte[] Healthy = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Type: text/plain\r\n\r\nHealthy"u8.ToArray();
    private readonly DnsEndPoint _endPoint = new(upstream.Host, upstream.Port);
    private readonly byte[] _hostLine = Encoding.ASCII.GetBytes($"Host: {upstream.Authority}\r\n");

    public async Task RunAsync()
    {
        using var listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(listen);
        listener.Listen(4096);
        while (true)
        {
            var client = await listener.AcceptAsync();
            client.NoDelay = true;
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var input = ArrayPool<byte>.Shared.Rent(BufferSize);
        var output = ArrayPool<byte>.Shared.Rent(BufferSize);
        Socket? upstream = null;
        try
        {
            var filled = 0;
            while (true)
            {
                int headLength;
                while ((headLength = input.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (filled == input.Length)
                    {
                        return;
                    }
                    var read = await client.ReceiveAsync(input.AsMemory(filled), SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }
                    filled += read;
                }
                headLength += 4;
                var length = WriteUpstreamHead(input.AsSpan(0, headLength), output, out var bodyLength, out var keepAlive, out var isHealthCheck);
                var end = headLength + bodyLength;
                if (end > input.Length)
                {
                    return;
                }
                while (filled < end)
                {
                    var read = await client.ReceiveAsync(input.AsMemory(filled, end - filled), SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }
                    filled += read;
                }

                if (isHealthCheck)
                {
                    await client.SendAsync(Healthy, SocketFlags.None);
                }
                else
                {
                    input.AsSpan(headLength, bodyLength).CopyTo(output.AsSpan(length));
                    length += bodyLength;
                    for (var attempt = 0; ; attempt++)
                    {
                        var reused = upstream is not null;
                        var connection = upstream ??= await Http1.ConnectAsync(_endPoint);
                        try
                        {
                            await connection.SendAsync(output.AsMemory(0, length), SocketFlags.None);
                            if (!await RelayResponseAsync(connection, output, client))
                            {
                                connection.Dispose();
                                upstream = null;
                            }
                            break;
                        }
                        catch (UpstreamClosedException) when (reused && attempt == 0)
                        {
                            // Closed while the client connection was idle (keep-alive timeout): nothing was relayed yet.
                            connection.Dispose();
                            upstream = null;
                        }
                    }
                }

                if (!keepAlive)
                {
                    return;
                }
                input.AsSpan(end, filled - end).CopyTo(input);
                filled -= end;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
        {
            // The connection is closed below; the bench counts what the client saw.
        }
        finally
        {
            upstream?.Dispose();
            client.Dispose();
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>
    /// The upstream request's head, from the client's: the bench's upstream target, the upstream's Host,
    /// the other headers as they came but the hop-by-hop ones. Returns its length; the body's length and
    /// whether the client keeps the connection come out.
    /// </summary>
    private int WriteUpstreamHead(ReadOnlySpan<byte> head, Span<byte> output, out int bodyLength, out bool keepAlive, out bool isHealthCheck)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = head[..lineEnd];
        var methodEnd = requestLine.IndexOf((byte)' ');
        var targetEnd = requestLine.LastIndexOf((byte)' ');
        if (methodEnd <= 0 || targetEnd <= methodEnd || !requestLine[(targetEnd + 1)..].SequenceEqual("HTTP/1.1"u8))
        {
            throw new InvalidDataException("Not an HTTP/1.1 request line.");
        }
        var target = Encoding.Latin1.GetString(requestLine[(methodEnd + 1)..targetEnd]);
        var queryStart = target.IndexOf('?');
        var path = queryStart < 0 ? target : target[..queryStart];
        isHealthCheck = path == "/healthz";

        var length = Http1.Append(requestLine[..(methodEnd + 1)], output);
        length += Encoding.Latin1.GetBytes(UpstreamTarget.Of(path, queryStart < 0 ? "" : target[queryStart..]), output[length..]);
        length += Http1.Append(" HTTP/1.1\r\n"u8, output[length..]);
        length += Http1.Append(_hostLine, output[length..]);
        long contentLength = 0;
        keepAlive = true;
        for (var rest = head[(lineEnd + 2)..^2]; !rest.IsEmpty;)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = rest[..(lineEnd + 2)];
            rest = rest[(lineEnd + 2)..];
            var name = line[..line.IndexOf((byte)':')];
            Http1.ReadFraming(name, line[(name.Length + 1)..].Trim(" \r\n"u8), ref contentLength, ref keepAlive);
            if (!Http1.IsHopByHop(name) && !Ascii.EqualsIgnoreCase(name, "Host"u8))
            {
                length += Http1.Append(line, output[length..]);
            }
        }
        bodyLength = checked((int)contentLength);
        return length + Http1.Append("\r\n"u8, output[length..]);
    }

    /// <summary>
    /// Relays one response: its head less the hop-by-hop headers, in one send with the body's first
    /// bytes, then the rest as it comes. Returns whether the upstream connection can carry the next request.
    /// </summary>
    private static async ValueTask<bool> RelayResponseAsync(Socket upstream, byte[] buffer, Socket client)
    {
        var (filled, headLength) = await Http1.ReceiveResponseHeadAsync(upstream, buffer);
        var (kept, contentLength, keepAlive) = FilterHead(buffer.AsSpan(0, headLength));
        var buffered = (int)Math.Min(filled - headLength, contentLength);
        buffer.AsSpan(headLength, buffered).CopyTo(buffer.AsSpan(kept));
        await client.SendAsync(buffer.AsMemory(0, kept + buffered), SocketFlags.None);
        for (var remaining = contentLength - buffered; remaining > 0;)
        {
            var read = await upstream.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("The upstream closed the connection in a response body.");
            }
            await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            remaining -= read;
        }
        return keepAlive && filled - headLength == buffered;
    }

    /// <summary>Drops the hop-by-hop header lines of a response head in place; returns the head's new length, the body's length and keep-alive.</summary>
    private static (int Length, long ContentLength, bool KeepAlive) FilterHead(Span<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        if (!head.StartsWith("HTTP/1.1 "u8) || lineEnd < 12)
        {
            throw new InvalidDataException("The upstream's status line is not HTTP/1.1.");
        }
        var length = lineEnd + 2;
        long contentLength = -1;
        var keepAlive = true;
        for (var next = length; next < head.Length - 2;)
        {
            lineEnd = next + head[next..].IndexOf("\r\n"u8) + 2;
            var line = head[next..lineEnd];
            next = lineEnd;
            var name = line[..line.IndexOf((byte)':')];
            var value = line[(name.Length + 1)..].Trim(" \r\n"u8);
            Http1.ReadFraming(name, value, ref contentLength, ref keepAlive);
            if (!Http1.IsHopByHop(name))
            {
                line.CopyTo(head[length..]);
                length += line.Length;
            }
        }
        if (contentLength < 0)
        {
            throw new InvalidDataException("The raw forwarder knows only responses with a Content-Length.");
        }
        return (length + Http1.Append("\r\n"u8, head[length..]), contentLength, keepAlive);
    }
}
