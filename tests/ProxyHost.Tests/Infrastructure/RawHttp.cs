using System.Net.Sockets;
using System.Text;

namespace FingerprintProxy.Tests.Infrastructure;

/// <summary>
/// Sends a request as raw bytes, for inputs an <see cref="HttpClient"/> would normalise (dot segments,
/// encoded slashes, huge header blocks), and returns the status code and the whole response text.
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Response)> SendAsync(int port, string requestHead, byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(requestHead));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException)
        {
            // The server may reset after answering (e.g. an unread body); what was read is the answer.
        }

        var text = Encoding.Latin1.GetString(buffer.ToArray());
        var status = text.Length >= 12 ? int.Parse(text.AsSpan(9, 3)) : 0;
        return (status, text);
    }

    /// <summary>Sends a request and reads one response (by its Content-Length), leaving the connection open.</summary>
    public static async Task<(int Status, string Response)> SendOneAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var text = await ReadResponseAsync(stream);
        return (int.Parse(text.AsSpan(9, 3)), text);
    }

    /// <summary>One response with a Content-Length body; fails if the server closes before it is whole.</summary>
    public static async Task<string> ReadResponseAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        while (true)
        {
            var text = received.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = 0;
                foreach (var line in text[..end].Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line["Content-Length:".Length..].Trim());
                    }
                }

                if (text.Length >= end + 4 + length)
                {
                    return text;
                }
            }

            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                throw new IOException("The server closed the connection before the response was whole.");
            }

            received.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
    }
}
