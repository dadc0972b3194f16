using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>What the bench's hand-written HTTP/1.1 code (Relay.cs, RawForwarder.cs, Answerer.cs) shares.</summary>
internal static class Http1
{
    /// <summary>A new connection to the upstream, with Nagle's algorithm off (each send is a whole head or body).</summary>
    public static async ValueTask<Socket> ConnectAsync(EndPoint upstream)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(upstream);
        return socket;
    }

    /// <summary>
    /// Receives the upstream's response until <paramref name="buffer"/> holds its whole head; returns the
    /// bytes received and the head's length with its blank line.
    /// </summary>
    /// <exception cref="UpstreamClosedException">The connection closed before the response's first byte.</exception>
    public static async ValueTask<(int Received, int HeadLength)> ReceiveResponseHeadAsync(Socket upstream, byte[] buffer)
    {
        var received = 0;
        int headEnd;
        while ((headEnd = buffer.AsSpan(0, received).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (received == buffer.Length)
            {
                throw new InvalidDataException("The upstream's response head does not fit the buffer.");
            }
            var read = await upstream.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
            if (read == 0)
            {
                throw received == 0 ? new UpstreamClosedException() : new IOException("The upstream closed the connection in a response head.");
            }
            received += read;
        }
        return (received, headEnd + 4);
    }

    /// <summary>The hop-by-hop headers: they describe one connection and are never passed on.</summary>
    private static readonly string[] HopByHop = ["Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Upgrade", "Proxy-Connection"];

    public static bool IsHopByHop(ReadOnlySpan<char> name)
    {
        foreach (var hopByHop in HopByHop)
        {
            if (name.Equals(hopByHop, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    public static bool IsHopByHop(ReadOnlySpan<byte> name)
    {
        foreach (var hopByHop in HopByHop)
        {
            if (Ascii.EqualsIgnoreCase(name, hopByHop))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Reads a header that frames the body or the connection (<c>Content-Length</c>, <c>Connection</c>)
    /// into <paramref name="contentLength"/> and <paramref name="keepAlive"/>; returns whether it was one.
    /// Both forwarders know only bodies with a <c>Content-Length</c>.
    /// </summary>
    public static bool ReadFraming(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref long contentLength, ref bool keepAlive)
    {
        if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            throw new InvalidDataException("Only bodies with a Content-Length can be relayed.");
        }
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            Utf8Parser.TryParse(value, out contentLength, out _);
            return true;
        }
        if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            keepAlive = !Ascii.EqualsIgnoreCase(value, "close"u8);
            return true;
        }
        return false;
    }

    /// <summary>Copies <paramref name="bytes"/> to the start of <paramref name="buffer"/>; returns their length.</summary>
    public static int Append(ReadOnlySpan<byte> bytes, Span<byte> buffer)
    {
        bytes.CopyTo(buffer);
        return bytes.Length;
    }
}

/// <summary>A pooled upstream connection was found closed before a response began: the request may be sent again.</summary>
internal sealed class UpstreamClosedException : IOException;
