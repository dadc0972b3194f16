using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Sets the request URI from the <see cref="ForwardTarget"/> chosen by the router, keeping the path and
/// query bytes exactly as received: YARP's default would decode and re-encode them, and
/// <see cref="Uri"/>'s canonicalisation would rewrite escapes such as <c>%7e</c> and <c>|</c>. Runs last.
/// </summary>
internal sealed class RequestDestinationTransform : RequestTransform
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.HttpContext.Features.Get<ForwardTarget>()
            ?? throw new InvalidOperationException("No ForwardTarget was set for this request.");
        context.ProxyRequest.RequestUri = new Uri(string.Concat(target.Origin, target.Path, target.Query), in Verbatim);
        return default;
    }
}
