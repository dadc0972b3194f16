using System.Security.Cryptography;
using System.Text;
using FingerprintProxy.Configuration;

namespace FingerprintProxy.Viewer;

/// <summary>
/// Locks an origin to CloudFront: when an origin-verification value is in force, a request must carry the
/// header with the current or the previous value, compared in constant time. When the viewer context
/// trusts edge headers (<see cref="OriginVerification.Required"/>) and no value is in force yet (the secret
/// has not loaded), every request is refused: fail closed.
/// </summary>
internal static class OriginVerifier
{
    /// <summary>True when the request may proceed.</summary>
    public static bool Verify(HttpContext context, OriginVerification verification)
    {
        var expected = verification.Values;
        if (expected.Count == 0)
        {
            return !verification.Required;
        }

        var presented = context.Request.Headers[verification.HeaderName];
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
