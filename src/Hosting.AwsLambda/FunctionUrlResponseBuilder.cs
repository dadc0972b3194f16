using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// Turns what the pipeline produced into the document a Function URL sends to the client. Each
/// <c>Set-Cookie</c> becomes one <c>cookies[]</c> entry (joining them with commas would corrupt cookies
/// whose <c>Expires</c> holds a comma); other repeated headers are joined with <c>", "</c> as HTTP allows.
/// The body goes as text only when it is known to be UTF-8 text and is not compressed; everything else
/// is base64 so that no byte changes on the way.
/// </summary>
internal static class FunctionUrlResponseBuilder
{
    /// <summary>A Function URL's response payload limit (synchronous invocation): 6 MB.</summary>
    public const int MaxPayloadBytes = 6 * 1024 * 1024;

    public static FunctionUrlResponse Build(int statusCode, IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var outHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var cookies = new List<string>();
        foreach (var (name, values) in headers)
        {
            if (string.Equals(name, HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var cookie in values)
                {
                    if (!string.IsNullOrEmpty(cookie))
                    {
                        cookies.Add(cookie);
                    }
                }

                continue;
            }

            // Framing and connection handling belong to the connection the Function URL opens to the client,
            // not to this document.
            if (string.Equals(name, HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            outHeaders[name] = values.Count == 1 ? values[0] ?? string.Empty : string.Join(", ", values.ToArray());
        }

        var asText = body.IsEmpty || (IsKnownText(headers.ContentType, headers.ContentEncoding) && Utf8.IsValid(body));
        return new FunctionUrlResponse
        {
            StatusCode = statusCode,
            Headers = outHeaders,
            Cookies = cookies,
            Body = asText ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body),
            IsBase64Encoded = !asText,
        };
    }

    /// <summary>An error the hosting layer answers itself: <c>{"error":"..."}</c>, never cached.</summary>
    public static FunctionUrlResponse Error(int statusCode, string message) => new()
    {
        StatusCode = statusCode,
        Headers = new Dictionary<string, string>
        {
            [HeaderNames.ContentType] = "application/json",
            [HeaderNames.CacheControl] = "no-store",
        },
        Cookies = [],
        Body = JsonSerializer.Serialize(new HostingErrorBody { Error = message }, LambdaJsonContext.Default.HostingErrorBody),
        IsBase64Encoded = false,
    };

    public static byte[] Serialize(FunctionUrlResponse response) =>
        JsonSerializer.SerializeToUtf8Bytes(response, LambdaJsonContext.Default.FunctionUrlResponse);

    /// <summary>
    /// True for an uncompressed body of a textual media type (<c>text/*</c>, JSON, JavaScript, XML and
    /// their <c>+json</c>/<c>+xml</c> variants, form data). Anything unknown counts as binary.
    /// </summary>
    public static bool IsKnownText(string? contentType, string? contentEncoding)
    {
        if (!string.IsNullOrWhiteSpace(contentEncoding) && !string.Equals(contentEncoding.Trim(), "identity", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        mediaType = mediaType.Trim();
        return mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-javascript", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/ecmascript", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
    }
}
