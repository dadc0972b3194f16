namespace FingerprintProxy.Proxy;

/// <summary>What a request path under the integration path means.</summary>
internal enum RouteKind
{
    /// <summary>Outside the integration path: 404, never forwarded.</summary>
    NotFound,

    /// <summary>Malformed or unsafe input: 400, never forwarded.</summary>
    BadRequest,

    /// <summary>The proxy's own status page.</summary>
    Status,

    /// <summary>The agent download (v3 route), to the ingress host.</summary>
    Agent,

    /// <summary>The result route (identification and browser-cache requests), to the region host.</summary>
    Result,

    /// <summary>Any other path under the integration path (v4 routes), to the region host.</summary>
    CatchAll,
}

/// <summary>The router's decision: the kind, the upstream origin and path to forward to, or the reason for a 400.</summary>
internal readonly record struct RouteMatch(RouteKind Kind, string? Origin = null, string? UpstreamPath = null, string? Error = null)
{
    public static RouteMatch NotFound => new(RouteKind.NotFound);

    public static RouteMatch Status => new(RouteKind.Status);

    public static RouteMatch Bad(string error) => new(RouteKind.BadRequest, Error: error);
}
