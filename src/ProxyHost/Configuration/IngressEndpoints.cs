namespace FingerprintProxy.Configuration;

/// <summary>
/// The only upstream origins the proxy ever contacts: the ingress host and its <c>eu.</c> and <c>ap.</c>
/// regional twins. A request's <c>region</c> query value selects one of these three; it can never name
/// a host of its own.
/// </summary>
internal sealed record IngressEndpoints
{
    private IngressEndpoints(string global, string eu, string ap)
    {
        Global = global;
        Eu = eu;
        Ap = ap;
    }

    /// <summary>The global ingress origin as configured, e.g. <c>https://api.fpjs.io</c> (no trailing slash): the agent download and every request without a region.</summary>
    public string Global { get; }

    /// <summary>e.g. <c>https://eu.api.fpjs.io</c>.</summary>
    public string Eu { get; }

    /// <summary>e.g. <c>https://ap.api.fpjs.io</c>.</summary>
    public string Ap { get; }

    /// <summary>
    /// Picks the origin for a <c>region</c> query value: exactly <c>eu</c> or <c>ap</c> select a region,
    /// anything else (including a missing value and other letter cases) means the default host.
    /// </summary>
    public string ForRegion(ReadOnlySpan<char> region) => region switch
    {
        "eu" => Eu,
        "ap" => Ap,
        _ => Global,
    };

    /// <summary>Validates and parses an ingress base URL; throws <see cref="FormatException"/> with the reason.</summary>
    public static IngressEndpoints Parse(string value)
    {
        if (!TryParse(value, out var endpoints, out var error))
        {
            throw new FormatException(error);
        }

        return endpoints;
    }

    /// <summary>
    /// Accepts an absolute https URL (http only for a loopback name) made of a scheme, a host name and an optional port, nothing else
    /// (no path, query, fragment or user info), because region prefixes go in front of the host.
    /// </summary>
    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IngressEndpoints? endpoints, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        endpoints = null;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            error = "must be an absolute URL such as https://api.fpjs.io";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            error = "must use https";
            return false;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            error = "must be a scheme and host only, without path, query, fragment or user info";
            return false;
        }

        if (uri.HostNameType != UriHostNameType.Dns)
        {
            error = "must name a DNS host (region prefixes such as eu. are put in front of it)";
            return false;
        }

        // The proxy secret travels in a header: plain http only to a loopback name (RFC 6761 reserves
        // localhost and *.localhost for loopback), as a local test server uses.
        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopbackName(uri.IdnHost))
        {
            error = "must use https (plain http is accepted only for localhost or a *.localhost name)";
            return false;
        }

        var authority = uri.IsDefaultPort ? uri.IdnHost : uri.IdnHost + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var scheme = uri.Scheme + "://";
        endpoints = new IngressEndpoints(scheme + authority, scheme + "eu." + authority, scheme + "ap." + authority);
        error = null;
        return true;
    }

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
