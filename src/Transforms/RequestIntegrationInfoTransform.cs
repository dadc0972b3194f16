using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Appends <c>ii=&lt;name&gt;/&lt;version&gt;/ingress</c> to the query of POST requests, after any
/// <c>ii</c> the client sent (the agent sends its own; it is never replaced). The rest of the query
/// keeps its bytes.
/// </summary>
internal sealed class RequestIntegrationInfoTransform : RequestTransform
{
    public RequestIntegrationInfoTransform(IntegrationInfo integration)
    {
        ArgumentNullException.ThrowIfNull(integration);
        Integration = integration;
    }

    public IntegrationInfo Integration { get; }

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpMethods.IsPost(context.HttpContext.Request.Method) && context.HttpContext.Features.Get<ForwardTarget>() is { } target)
        {
            target.Query = Append(target.Query, Integration.QueryParameter);
        }

        return default;
    }

    internal static string Append(string query, string pair) => query.Length switch
    {
        0 => "?" + pair,
        1 => query + pair, // "?" alone
        _ => query[^1] == '&' ? query + pair : query + "&" + pair,
    };
}
