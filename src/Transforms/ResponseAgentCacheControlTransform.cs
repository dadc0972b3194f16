using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Caps <c>Cache-Control</c> on JavaScript responses (the agent) at <c>max-age=3600</c> and
/// <c>s-maxage=60</c>, appending a missing directive, so a new agent version reaches browsers and CDNs
/// within an hour. Responses without <c>Cache-Control</c> and every other content type are left alone.
/// </summary>
internal sealed class ResponseAgentCacheControlTransform : ResponseTransform
{
    private static readonly string[] KnownJavaScriptTypes =
    [
        "text/javascript", "text/javascript; charset=utf-8", "application/javascript", "application/javascript; charset=utf-8",
    ];

    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.HttpContext.Response.Headers;
        var cacheControl = headers.CacheControl;
        if (cacheControl.Count == 0 || !IsJavaScript(headers.ContentType))
        {
            return default;
        }

        var capped = CacheControlCap.Apply(cacheControl.Count == 1 ? cacheControl[0]! : string.Join(", ", cacheControl.ToArray()));
        headers.CacheControl = capped;
        return default;
    }

    /// <summary>text/javascript, application/javascript, application/x-javascript, application/ecmascript, text/ecmascript (parameters ignored).</summary>
    internal static bool IsJavaScript(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        // The agent's own Content-Type values, recognised without parsing (which allocates) on every agent
        // response; anything else goes through the full parser.
        foreach (var known in KnownJavaScriptTypes)
        {
            if (contentType.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        var subType = mediaType.SubType;
        var type = mediaType.Type;
        return (type.Equals("text", StringComparison.OrdinalIgnoreCase) || type.Equals("application", StringComparison.OrdinalIgnoreCase))
            && (subType.Equals("javascript", StringComparison.OrdinalIgnoreCase)
                || subType.Equals("x-javascript", StringComparison.OrdinalIgnoreCase)
                || subType.Equals("ecmascript", StringComparison.OrdinalIgnoreCase));
    }
}
