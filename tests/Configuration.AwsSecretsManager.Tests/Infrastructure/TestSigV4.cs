using System.Security.Cryptography;
using System.Text;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;

/// <summary>
/// A minimal, independent AWS Signature Version 4 (header form), written from AWS's description of the
/// algorithm so that the fake Secrets Manager can check the SDK's signatures the way AWS does. It is
/// itself checked against AWS's published test vectors (the SigV4 test vectors).
/// </summary>
internal static class TestSigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>
    /// The hex signature of a request. <c>headers</c> are the signed headers with their values (any case
    /// and order); <c>payloadHash</c> is the hex SHA-256 of the body.
    /// </summary>
    public static string Signature(
        string secretKey, string amzDate, string region, string service,
        string method, string path, string query, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash)
    {
        var canonicalRequest = CanonicalRequest(method, path, query, headers, payloadHash, out _);
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    /// <summary>The whole <c>Authorization</c> header value.</summary>
    public static string Authorization(
        string accessKey, string secretKey, string amzDate, string region, string service,
        string method, string path, string query, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash)
    {
        var list = headers.ToList();
        CanonicalRequest(method, path, query, list, payloadHash, out var signedHeaders);
        var signature = Signature(secretKey, amzDate, region, service, method, path, query, list, payloadHash);
        return $"{Algorithm} Credential={accessKey}/{amzDate[..8]}/{region}/{service}/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    public static string CanonicalRequest(
        string method, string path, string query, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash, out string signedHeaders)
    {
        var canonicalHeaders = headers
            .GroupBy(h => h.Key.ToLowerInvariant())
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => CollapseSpaces(h.Value)))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        signedHeaders = string.Join(";", canonicalHeaders.Select(h => h.Name));
        var builder = new StringBuilder();
        builder.Append(method).Append('\n');
        builder.Append(path.Length == 0 ? "/" : path).Append('\n');
        builder.Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in canonicalHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return builder.ToString();
    }

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Hex(SHA256.HashData(data));

    // Query parameters sorted by name, then value; the vectors used here pass them already encoded.
    private static string CanonicalQuery(string query) =>
        string.Join("&", query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Contains('=') ? p : p + "=")
            .Select(p => (Name: p[..p.IndexOf('=')], Value: p[(p.IndexOf('=') + 1)..]))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    private static string CollapseSpaces(string value) =>
        string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
