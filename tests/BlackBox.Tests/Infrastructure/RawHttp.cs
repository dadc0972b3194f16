using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>A response as it came off the socket: status, every header line in order, body bytes.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>Every value of a header (name case-insensitive), one per header line, in order.</summary>
    public string[] Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// HTTP/1.1 over a plain socket, for requests an <see cref="HttpClient"/> would normalise (dot segments,
/// encoded characters, header bytes) and for requests whose body must not be sent before the answer.
/// </summary>
public static class RawHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>A request head: the request line, the given header lines, and <c>Connection: close</c>.</summary>
    public static string Head(string requestLine, params string[] headers) =>
        requestLine + "\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "Connection: close\r\n";

    /// <summary>
    /// Sends <paramref name="head"/> (request line and headers, each line ending in CRLF, without the empty
    /// line that ends the head: it is added here) and <paramref name="body"/>, and reads one response.
    /// </summary>
    public static async Task<RawResponse> SendAsync(int port, string head, byte[]? body = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head + "\r\n"), timeout.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, timeout.Token);
        }

        return await ReadResponseAsync(new Reader(stream, timeout.Token));
    }

    private static async Task<RawResponse> ReadResponseAsync(Reader reader)
    {
        while (true)
        {
            var statusLine = await reader.ReadLineAsync() ?? throw new IOException("The connection closed before a response.");
            var parts = statusLine.Split(' ', 3);
            var status = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var headers = new List<KeyValuePair<string, string>>();
            for (var line = await reader.ReadLineAsync(); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync())
            {
                var colon = line.IndexOf(':');
                headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
            }

            if (status is >= 100 and < 200)
            {
                continue;  // 100 Continue: the real answer follows.
            }

            var response = new RawResponse(status, headers, []);
            var length = response.Header("Content-Length");
            byte[] body;
            if (response.Header("Transfer-Encoding").Any(v => v.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
            {
                body = await reader.ReadChunkedAsync();
            }
            else if (length.Length > 0)
            {
                body = await reader.ReadExactlyAsync(int.Parse(length[0], CultureInfo.InvariantCulture));
            }
            else
            {
                body = status is 204 or 304 ? [] : await reader.ReadToEndAsync();
            }

            return response with { Body = body };
        }
    }

    private sealed class Reader(NetworkStream stream, CancellationToken cancellationToken)
    {
        private readonly byte[] _buffer = new byte[16384];
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync()
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end && !await FillAsync())
                {
                    return line.Length == 0 ? null : Encoding.Latin1.GetString(line.ToArray());
                }

                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    line.Write(_buffer, _start, _end - _start);
                    _start = _end;
                    continue;
                }

                line.Write(_buffer, _start, newline - _start);
                _start = newline + 1;
                var text = Encoding.Latin1.GetString(line.ToArray());
                return text.EndsWith('\r') ? text[..^1] : text;
            }
        }

        public async Task<byte[]> ReadExactlyAsync(int count)
        {
            var result = new byte[count];
            var copied = 0;
            while (copied < count)
            {
                if (_start == _end && !await FillAsync())
                {
                    throw new IOException($"The connection closed after {copied} of {count} body bytes.");
                }

                var n = Math.Min(count - copied, _end - _start);
                Array.Copy(_buffer, _start, result, copied, n);
                copied += n;
                _start += n;
            }

            return result;
        }

        public async Task<byte[]> ReadChunkedAsync()
        {
            var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync() ?? throw new IOException("The connection closed inside a chunked body.");
                var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while (!string.IsNullOrEmpty(await ReadLineAsync()))
                    {
                        // Trailers.
                    }

                    return body.ToArray();
                }

                body.Write(await ReadExactlyAsync(size));
                await ReadLineAsync();
            }
        }

        public async Task<byte[]> ReadToEndAsync()
        {
            var body = new MemoryStream();
            do
            {
                body.Write(_buffer, _start, _end - _start);
                _start = _end;
            }
            while (await FillAsync());
            return body.ToArray();
        }

        private async Task<bool> FillAsync()
        {
            int read;
            try
            {
                read = await stream.ReadAsync(_buffer, cancellationToken);
            }
            catch (IOException)
            {
                // A reset after the answer (e.g. a request body left unread) ends the response.
                read = 0;
            }

            _start = 0;
            _end = read;
            return read > 0;
        }
    }
}
