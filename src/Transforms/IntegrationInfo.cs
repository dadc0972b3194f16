namespace FingerprintProxy.Transforms;

/// <summary>
/// The integration's name and version as Fingerprint sees them in the <c>ii</c> query parameter of
/// identification requests (<c>ii=&lt;name&gt;/&lt;version&gt;/ingress</c>).
/// </summary>
public sealed record IntegrationInfo
{
    /// <summary>Builds the <c>ii</c> value and its encoded query parameter for one integration.</summary>
    /// <param name="name">The integration's name, e.g. <c>fingerprint-pro-aws-dotnet-proxy</c>.</param>
    /// <param name="version">Its version, e.g. <c>0.1.0</c>.</param>
    /// <exception cref="ArgumentException">A part is null or empty.</exception>
    public IntegrationInfo(string name, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(version);
        Name = name;
        Version = version;
        Value = name + "/" + version + "/ingress";
        // Encoded as the official integrations encode it (URLSearchParams: '/' becomes %2F).
        QueryParameter = "ii=" + Uri.EscapeDataString(Value);
    }

    /// <summary>The integration's name.</summary>
    public string Name { get; }

    /// <summary>The integration's version.</summary>
    public string Version { get; }

    /// <summary>The decoded value, e.g. <c>fingerprint-pro-aws-dotnet-proxy/0.1.0/ingress</c>.</summary>
    public string Value { get; }

    /// <summary>The encoded <c>ii=...</c> pair appended to the query.</summary>
    public string QueryParameter { get; }
}
