using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// Puts a Function URL event (payload format 2.0) into the request features, as Kestrel would have filled
/// them for the same HTTP request. Header values are taken as they are: a Function URL has already
/// joined repeated headers with commas, and splitting them again would break values that contain
/// commas themselves (<c>User-Agent</c>, <c>sec-ch-ua</c>), which the application (and any upstream a
/// proxy forwards them to) must see byte for byte, as Kestrel would have received them.
/// </summary>
internal static class FunctionUrlRequestMapper
{
    public const string TraceIdHeader = "X-Amzn-Trace-Id";

    /// <summary>Reads the event; throws <see cref="InvalidDataException"/> when it is not a Function URL event.</summary>
    public static FunctionUrlRequest Parse(byte[] json)
    {
        FunctionUrlRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(json, LambdaJsonContext.Default.FunctionUrlRequest);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException("The invocation event is not valid JSON: " + exception.Message, exception);
        }

        if (request?.RequestContext?.Http?.Method is not { Length: > 0 } || request.RawPath is null)
        {
            throw new InvalidDataException(
                "The invocation event is not a Lambda Function URL event (payload format 2.0): requestContext.http.method and rawPath are required.");
        }

        return request;
    }

    /// <summary>The body's bytes; throws <see cref="InvalidDataException"/> for a body that is not valid base64.</summary>
    public static byte[] DecodeBody(FunctionUrlRequest request)
    {
        if (string.IsNullOrEmpty(request.Body))
        {
            return [];
        }

        if (!request.IsBase64Encoded)
        {
            return Encoding.UTF8.GetBytes(request.Body);
        }

        try
        {
            return Convert.FromBase64String(request.Body);
        }
        catch (FormatException exception)
        {
            throw new InvalidDataException("The invocation event's body is marked isBase64Encoded but is not valid base64.", exception);
        }
    }

    /// <summary>Fills the request features; false when the path is one Kestrel refuses with 400.</summary>
    public static bool Apply(FunctionUrlRequest request, LambdaInvocation invocation, LambdaHttpFeatures features)
    {
        var http = request.RequestContext!.Http!;
        var rawPath = request.RawPath is { Length: > 0 } path ? path : "/";
        var rawQuery = request.RawQueryString ?? string.Empty;

        features.Method = http.Method!;
        features.Scheme = "https";
        features.Protocol = "HTTP/1.1";
        features.PathBase = string.Empty;
        var valid = RequestPathDecoder.TryDecode(rawPath, out var decodedPath);
        features.Path = decodedPath ?? "/";
        features.QueryString = rawQuery.Length == 0 ? string.Empty : "?" + rawQuery;
        features.RawTarget = rawQuery.Length == 0 ? rawPath : rawPath + "?" + rawQuery;

        var headers = features.RequestHeaders;
        if (request.Headers is not null)
        {
            foreach (var (name, value) in request.Headers)
            {
                headers[name] = new StringValues(value);
            }
        }

        if (request.Cookies is { Count: > 0 } cookies)
        {
            headers[HeaderNames.Cookie] = string.Join("; ", cookies);
        }

        // The body is complete in the event: its length is known, whatever framing the client used.
        var bodyLength = features.RequestBodyLength;
        headers.Remove(HeaderNames.TransferEncoding);
        if (bodyLength > 0 || headers.ContainsKey(HeaderNames.ContentLength))
        {
            headers.ContentLength = bodyLength;
        }

        if (invocation.TraceId is not null)
        {
            headers[TraceIdHeader] = invocation.TraceId;
        }

        features.RemoteIpAddress = IPAddress.TryParse(http.SourceIp, out var remote) ? remote : null;
        features.RemotePort = 0;
        features.LocalPort = 443;
        features.ConnectionId = invocation.RequestId;
        features.TraceIdentifier = invocation.RequestId;
        return valid;
    }
}
