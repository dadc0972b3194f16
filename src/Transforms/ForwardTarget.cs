namespace FingerprintProxy.Transforms;

/// <summary>
/// Where one request goes: chosen by the host's router and stored in <c>HttpContext.Features</c>.
/// The path and query are kept exactly as the client sent them (still percent-encoded) so that the
/// upstream receives the same bytes. Request transforms may append to <see cref="Query"/>;
/// <see cref="RequestDestinationTransform"/> turns the result into the request URI once.
/// </summary>
public sealed class ForwardTarget
{
    /// <summary>A target with the parts as given; none is decoded or normalised.</summary>
    /// <param name="origin">Scheme, host and optional port, without a trailing slash.</param>
    /// <param name="path">The upstream path, starting with '/', percent-encoding as received.</param>
    /// <param name="query">The raw query including its leading '?', or empty.</param>
    /// <exception cref="ArgumentException"><paramref name="origin"/> or <paramref name="path"/> is null or empty, or <paramref name="query"/> is null.</exception>
    public ForwardTarget(string origin, string path, string query)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(query);
        Origin = origin;
        Path = path;
        Query = query;
    }

    /// <summary>Scheme, host and optional port, without a trailing slash: <c>https://eu.api.fpjs.io</c>.</summary>
    public string Origin { get; }

    /// <summary>The upstream path, starting with '/', percent-encoding as received.</summary>
    public string Path { get; }

    /// <summary>The raw query including its leading '?', or empty.</summary>
    public string Query { get; set; }
}
