using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace FingerprintProxy.Proxy;

/// <summary>The error bodies of the contract (docs/contract.md, "Errors"), written without reflection.</summary>
internal static class ProxyErrors
{
    // Error texts are ours (no user input), so the relaxed encoder only keeps quotes and apostrophes readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// The identification-shaped 500 the JS agent understands.
    /// <paramref name="reason"/> is a short fixed phrase: never an exception message, never a secret.
    /// </summary>
    public static Task WriteAgentErrorAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return WriteJsonAsync(context, writer =>
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
        return WriteJsonAsync(context, writer =>
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

    /// <summary>
    /// Lets the page that sent the request read the proxy's own answer: a page on www.example.com talking to
    /// the proxy on metrics.example.com would otherwise see an opaque failure. Every answer the proxy makes
    /// itself goes through here; answers from Fingerprint keep their own headers.
    /// </summary>
    public static void AllowOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin;
        if (origin.Count == 1 && !string.IsNullOrEmpty(origin[0]))
        {
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = origin[0];
            headers.AccessControlAllowCredentials = "true";
            headers.Vary = "Origin";
        }
    }

    /// <summary>
    /// For an answer given before the request body was read whole: the connection closes after it, so the
    /// client never sends its next request onto a connection the server is about to drop (an unread body
    /// over the limit, or one whose framing is broken, cannot be drained).
    /// </summary>
    public static void CloseIfBodyUnread(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is > 0 || (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true))
        {
            context.Response.Headers.Connection = "close";
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        AllowOrigin(context);
        var response = context.Response;
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
