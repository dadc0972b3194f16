using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Sets one header on identification (POST) requests to a value the proxy decides, replacing any value
/// the client sent for it; a request of another method, or one for which <see cref="GetValue"/> has no
/// value, gets no header from this transform. The shape of YARP's <c>RequestHeaderTransform</c>, limited
/// to POST because Fingerprint reads these headers on identification requests only.
/// </summary>
internal abstract class RequestPostHeaderTransform : RequestTransform
{
    protected RequestPostHeaderTransform(string headerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(headerName);
        HeaderName = headerName;
    }

    /// <summary>The header this transform sets.</summary>
    public string HeaderName { get; }

    public sealed override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpMethods.IsPost(context.HttpContext.Request.Method) && GetValue(context.HttpContext) is { Length: > 0 } value)
        {
            RemoveHeader(context, HeaderName);
            AddHeader(context, HeaderName, value);
        }

        return default;
    }

    /// <summary>The value for this request; null or empty when the header is not to be sent. Called for POST requests only.</summary>
    protected abstract string? GetValue(HttpContext context);
}
