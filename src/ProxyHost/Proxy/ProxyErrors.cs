using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FingerprintProxy.Proxy;

/// <summary>The error bodies of the contract (CONTRACT.md §5), written without reflection.</summary>
internal static class ProxyErrors
{
    // Error texts are ours (no user input), so the relaxed encoder only keeps quotes and apostrophes readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// The identification-shaped 500 the JS agent understands, with CORS headers for the page's origin.
    /// <paramref name="reason"/> is a short fixed phrase: never an exception message, never a secret.
    /// </summary>
    public static Task WriteAgentErrorAsync(HttpContext context, string reason)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status500InternalServerError;
        var origin = context.Request.Headers.Origin;
        if (origin.Count > 0)
        {
            response.Headers.AccessControlAllowOrigin = origin.ToString();
            response.Headers.AccessControlAllowCredentials = "true";
        }

        return WriteJsonAsync(response, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("v", "2");
            writer.WriteStartObject("error");
            writer.WriteString("code", "IntegrationFailed");
            writer.WriteString("message", "An error occurred with the proxy integration. Reason: " + reason);
            writer.WriteEndObject();
            writer.WriteString("requestId", NewRequestId(DateTimeOffset.UtcNow));
            writer.WriteStartObject("products");
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary><c>{"error":"..."}</c> with the given status.</summary>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        return WriteJsonAsync(context.Response, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        });
    }

    /// <summary><c>&lt;13-digit epoch milliseconds&gt;.&lt;6 alphanumerics&gt;</c>, the agent's request id format.</summary>
    internal static string NewRequestId(DateTimeOffset now)
    {
        Span<char> suffix = stackalloc char[6];
        RandomNumberGenerator.GetItems(Alphanumerics, suffix);
        return now.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture) + "." + new string(suffix);
    }

    private static async Task WriteJsonAsync(HttpResponse response, Action<Utf8JsonWriter> write)
    {
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory);
    }
}
