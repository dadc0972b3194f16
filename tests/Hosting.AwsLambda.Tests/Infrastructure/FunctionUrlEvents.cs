using System.Text;
using System.Text.Json.Nodes;

namespace FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;

/// <summary>Recorded Function URL events (Events/*.json) and small events built for one test.</summary>
public static class FunctionUrlEvents
{
    /// <summary>A POST with a binary base64 body, four cookies, an IPv6 source and browser headers with commas.</summary>
    public const string PostBinaryBody = "post-binary-body.json";

    /// <summary>A GET with <c>%20</c> in the path, repeated <c>ii</c> query keys and an IPv4 source.</summary>
    public const string GetEncodedPath = "get-encoded-path-repeated-query.json";

    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Events", name)))!.AsObject();

    /// <summary>A minimal event: GET by default, Function URL host, IPv4 source.</summary>
    public static JsonObject Create(string method, string rawPath, string rawQuery = "", byte[]? body = null, string sourceIp = "198.51.100.7")
    {
        var headers = new JsonObject
        {
            ["host"] = "abc123.lambda-url.eu-west-1.on.aws",
            ["user-agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            ["x-forwarded-proto"] = "https",
        };
        if (body is not null)
        {
            headers["content-length"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = rawPath,
            ["rawQueryString"] = rawQuery,
            ["headers"] = headers,
            ["requestContext"] = new JsonObject
            {
                ["domainName"] = "abc123.lambda-url.eu-west-1.on.aws",
                ["http"] = new JsonObject
                {
                    ["method"] = method,
                    ["path"] = rawPath,
                    ["protocol"] = "HTTP/1.1",
                    ["sourceIp"] = sourceIp,
                },
                ["requestId"] = Guid.NewGuid().ToString(),
            },
            ["body"] = body is null ? null : Convert.ToBase64String(body),
            ["isBase64Encoded"] = body is not null,
        };
    }

    public static JsonObject WithHeader(this JsonObject evt, string name, string value)
    {
        evt["headers"]![name] = value;
        return evt;
    }

    public static byte[] Body(JsonObject evt)
    {
        var body = (string?)evt["body"];
        if (body is null)
        {
            return [];
        }

        return (bool?)evt["isBase64Encoded"] == true ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
    }

    /// <summary>
    /// The HTTP/1.1 request the browser sent for this event, as Kestrel would receive it: the same request
    /// line and headers (cookies in one <c>Cookie</c> header) without the headers the Function URL front end
    /// added (<c>x-amzn-*</c>, <c>x-forwarded-*</c>).
    /// </summary>
    public static (string Head, byte[] Body) ToRawHttp(JsonObject evt)
    {
        var rawQuery = (string?)evt["rawQueryString"] ?? string.Empty;
        var head = new StringBuilder()
            .Append((string)evt["requestContext"]!["http"]!["method"]!).Append(' ')
            .Append((string)evt["rawPath"]!).Append(rawQuery.Length == 0 ? string.Empty : "?" + rawQuery)
            .Append(" HTTP/1.1\r\n");
        foreach (var (name, value) in evt["headers"]!.AsObject())
        {
            if (name.StartsWith("x-amzn-", StringComparison.Ordinal) || name.StartsWith("x-forwarded-", StringComparison.Ordinal))
            {
                continue;
            }

            head.Append(name).Append(": ").Append((string)value!).Append("\r\n");
        }

        if (evt["cookies"] is JsonArray { Count: > 0 } cookies)
        {
            head.Append("cookie: ").Append(string.Join("; ", cookies.Select(c => (string)c!))).Append("\r\n");
        }

        head.Append("connection: close\r\n\r\n");
        return (head.ToString(), Body(evt));
    }
}
