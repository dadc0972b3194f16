using System.Net.Sockets;
using System.Text;

namespace FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;

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
}
