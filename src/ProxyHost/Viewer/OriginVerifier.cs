using System.Security.Cryptography;
using System.Text;
using FingerprintProxy.Configuration;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Viewer;

/// <summary>
/// Locks a container origin to CloudFront: when an origin-verification value is configured (or the mode
/// is <c>cloudfront-origin</c>), a request must carry the secret header with the current or the previous
/// value. Values are compared in constant time; with no value in force in <c>cloudfront-origin</c> mode
/// every request is refused (fail closed, e.g. while the secret has not loaded yet).
/// </summary>
internal sealed class OriginVerifier
{
    private readonly bool _required;

    public OriginVerifier(IOptions<ProxyOptions> options)
    {
        HeaderName = options.Value.OriginVerifyHeader;
        _required = options.Value.ViewerContext == ViewerContextModes.CloudFrontOrigin;
    }

    public string HeaderName { get; }

    /// <summary>True when the request may proceed.</summary>
    public bool Verify(HttpContext context, ProxySettings settings)
    {
        var expected = settings.OriginVerifySecrets;
        if (expected.Count == 0)
        {
            return !_required;
        }

        var presented = context.Request.Headers[HeaderName];
        if (presented.Count != 1 || string.IsNullOrEmpty(presented[0]))
        {
            return false;
        }

        // Hash both sides so the comparison takes the same time whatever the lengths.
        Span<byte> given = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented[0]!), given);
        var match = false;
        Span<byte> candidate = stackalloc byte[SHA256.HashSizeInBytes];
        foreach (var value in expected)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(value), candidate);
            match |= CryptographicOperations.FixedTimeEquals(given, candidate);
        }

        return match;
    }
}
