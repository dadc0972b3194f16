using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Sends Fingerprint only the cookie it set: on POST (identification) the <c>Cookie</c> header keeps
/// just <c>_iidt</c>, byte for byte, or is dropped when there is none; on every other method the
/// <c>Cookie</c> header is dropped. The site's own cookies never leave the site.
/// </summary>
internal sealed class RequestCookieFilterTransform : RequestTransform
{
    public RequestCookieFilterTransform(string cookieName = FingerprintHeaders.IidtCookie)
    {
        ArgumentException.ThrowIfNullOrEmpty(cookieName);
        CookieName = cookieName;
    }

    public string CookieName { get; }

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cookies = TakeHeader(context, HeaderNames.Cookie);
        if (cookies.Count == 0 || !HttpMethods.IsPost(context.HttpContext.Request.Method))
        {
            return default;
        }

        var kept = CookieFilter.KeepOnly(cookies, CookieName);
        if (kept is not null)
        {
            AddHeader(context, HeaderNames.Cookie, kept);
        }

        return default;
    }
}
