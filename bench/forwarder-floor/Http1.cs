using System.Net.Sockets;

/// <summary>What the bench's two hand-written HTTP/1.1 forwarders (Relay.cs, RawForwarder.cs) share.</summary>
internal static class Http1
{
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

    /// <summary>Copies <paramref name="bytes"/> to the start of <paramref name="buffer"/>; returns their length.</summary>
    public static int Append(ReadOnlySpan<byte> bytes, Span<byte> buffer)
    {
        bytes.CopyTo(buffer);
        return bytes.Length;
    }
}

/// <summary>A pooled upstream connection was found closed before a response began: the request may be sent again.</summary>
internal sealed class UpstreamClosedException : IOException;
