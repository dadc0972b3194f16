// TEMPORARY STUB - replaced by the psl branch
namespace FingerprintProxy.Transforms;
public sealed class PublicSuffixList
{
    public static PublicSuffixList Default { get; } = new();
    public bool IsPublicSuffix(string host) => !host.Contains('.') || host is "co.uk" or "github.io";
    public string? GetRegistrableDomain(string host)
    {
        var parts = host.Split('.');
        if (parts.Length < 2) return null;
        if (host.EndsWith(".co.uk")) return parts.Length < 3 ? null : string.Join('.', parts[^3..]);
        return string.Join('.', parts[^2..]);
    }
}
