using System.Reflection;
using FingerprintProxy.Transforms;

namespace FingerprintProxy.Proxy;

/// <summary>Who this proxy is to Fingerprint: the name and version sent in <c>ii</c> and shown on the status page.</summary>
internal static class ProxyIntegration
{
    /// <summary>The integration name in <c>ii</c>.</summary>
    public const string Name = "fingerprint-pro-aws-dotnet";

    /// <summary>The name, and the informational version of this build.</summary>
    public static IntegrationInfo Info { get; } = new(Name, ReadVersion());

    private static string ReadVersion() =>
        typeof(ProxyIntegration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ProxyIntegration).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";
}
