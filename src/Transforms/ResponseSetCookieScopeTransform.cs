using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Applies the cookie-scope safety net (<see cref="SetCookieScope"/>) to every <c>Set-Cookie</c> of the
/// response, using the viewer's host from <see cref="ViewerContext"/>. Each cookie stays its own header.
/// </summary>
internal sealed class ResponseSetCookieScopeTransform : ResponseTransform
{
    public ResponseSetCookieScopeTransform(PublicSuffixList suffixes)
    {
        ArgumentNullException.ThrowIfNull(suffixes);
        Suffixes = suffixes;
    }

    public PublicSuffixList Suffixes { get; }

    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.HttpContext.Response.Headers;
        var cookies = headers.SetCookie;
        if (cookies.Count == 0)
        {
            return default;
        }

        var host = context.HttpContext.Features.Get<ViewerContext>()?.Host;
        string[]? rewritten = null;
        for (var i = 0; i < cookies.Count; i++)
        {
            var original = cookies[i] ?? string.Empty;
            var scoped = SetCookieScope.Rescope(original, host, Suffixes);
            if (!ReferenceEquals(scoped, original))
            {
                rewritten ??= cookies.ToArray()!;
                rewritten[i] = scoped;
            }
        }

        if (rewritten is not null)
        {
            headers.SetCookie = new StringValues(rewritten);
        }

        return default;
    }
}
