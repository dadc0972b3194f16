using System.Reflection;

namespace FingerprintProxy.Tests.Infrastructure;

/// <summary>
/// The version this build must report, read from the test assembly: <c>Directory.Build.props</c> gives every
/// assembly the same version, so the proxy's <c>ii</c> and status page must match it after a bump.
/// </summary>
public static class BuildVersion
{
    public static string Value { get; } =
        typeof(BuildVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    /// <summary>The <c>ii</c> value the proxy appends, decoded.</summary>
    public static string Ii => $"fingerprint-pro-aws-dotnet/{Value}/ingress";

    /// <summary>The <c>ii</c> query parameter as it goes upstream.</summary>
    public static string IiParameter => "ii=" + Uri.EscapeDataString(Ii);
}
