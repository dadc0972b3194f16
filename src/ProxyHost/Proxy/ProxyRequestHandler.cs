using System.Net.Sockets;
using FingerprintProxy.Configuration;
using FingerprintProxy.Status;
using FingerprintProxy.Telemetry;
using FingerprintProxy.Transforms;
using FingerprintProxy.Viewer;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Proxy;

/// <summary>
/// The proxy's one endpoint: routes every request against the settings in force, answers the status
/// page and bad input itself, and forwards the rest through YARP's <see cref="IHttpForwarder"/> with the
/// Fingerprint transforms. Turns forwarding failures into the contract's error bodies.
/// </summary>
internal sealed class ProxyRequestHandler
{
    private readonly ProxySettingsAccessor _settings;
    private readonly IHttpForwarder _forwarder;
    private readonly StatusPage _statusPage;
    private readonly ILogger _logger;

    public ProxyRequestHandler(
        ProxySettingsAccessor settings,
        IHttpForwarder forwarder,
        StatusPage statusPage,
        ILogger<ProxyRequestHandler> logger)
    {
        _settings = settings;
        _forwarder = forwarder;
        _statusPage = statusPage;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        // One snapshot for the whole request: routing, secret, viewer context and client stay consistent.
        var settings = _settings.Current;
        if (!OriginVerifier.Verify(context, settings.OriginVerification))
        {
            Log.Refused(_logger, context.Request.Method, "missing or wrong origin-verification header");
            return RefuseAsync(context, RefusalReason.OriginVerification, StatusCodes.Status403Forbidden, "Forbidden.");
        }

        if (IsUpgrade(context))
        {
            // Fingerprint's API has no upgrades or tunnels: never relay one (it would bypass every limit).
            Log.Refused(_logger, context.Request.Method, "protocol upgrade");
            // A client that asked for an upgrade may go on in the new protocol: do not read further.
            context.Response.Headers.Connection = "close";
            return RefuseAsync(context, RefusalReason.Upgrade, StatusCodes.Status400BadRequest, "Protocol upgrades are not supported.");
        }

        SplitTarget(context, out var path, out var query);
        var match = ProxyRouter.Match(path, query, settings.Routes);
        RequestTelemetry.Of(context)?.Routed(match, settings.Routes);
        switch (match.Kind)
        {
            case RouteKind.NotFound:
                return RefuseAsync(context, RefusalReason.NotFound, StatusCodes.Status404NotFound, "Not found.");
            case RouteKind.BadRequest:
                Log.Refused(_logger, context.Request.Method, match.Error!);
                return RefuseAsync(context, RefusalReason.BadRequest, StatusCodes.Status400BadRequest, match.Error!);
            case RouteKind.Status:
                return _statusPage.WriteAsync(context, settings);
            default:
                return ForwardAsync(context, settings, match, query.ToString());
        }
    }

    private async Task ForwardAsync(HttpContext context, ProxySettings settings, RouteMatch match, string query)
    {
        var request = context.Request;
        var maxBodyBytes = settings.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = maxBodyBytes;
        }

        switch (await RequestBodyBuffer.ReadAsync(context, maxBodyBytes))
        {
            case BodyReadOutcome.TooLarge:
                Log.BodyTooLarge(_logger, request.Method, request.ContentLength ?? -1, maxBodyBytes);
                await RefuseAsync(context, RefusalReason.BodyTooLarge, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {maxBodyBytes} bytes.");
                return;
            case BodyReadOutcome.Unreadable:
                Log.Refused(_logger, request.Method, "the request body could not be read");
                await RefuseAsync(context, RefusalReason.BodyUnreadable, StatusCodes.Status400BadRequest, "The request body could not be read.");
                return;
            case BodyReadOutcome.ClientGone:
                Log.ClientAborted(_logger, request.Method, match.Kind, ForwarderError.RequestBodyClient);
                RequestTelemetry.Of(context)?.Aborted();
                return;
        }

        context.Features.Set(settings.Viewer.Resolve(context));
        context.Features.Set(new ForwardTarget(match.Origin!, match.UpstreamPath!, query));

        var telemetry = RequestTelemetry.Of(context);
        telemetry?.ForwardStarting();
        var error = await _forwarder.SendAsync(context, match.Origin!, settings.Client, settings.RequestConfig, settings.Transformer);
        telemetry?.ForwardCompleted(context, error);
        if (error != ForwarderError.None)
        {
            await HandleErrorAsync(context, match, error);
        }
    }

    /// <summary>An answer the proxy makes before reading the request body: the connection closes after it unless there is no body.</summary>
    private static Task RefuseAsync(HttpContext context, RefusalReason reason, int statusCode, string message)
    {
        RequestTelemetry.Of(context)?.Refused(reason);
        ProxyErrors.CloseIfBodyUnread(context);
        return ProxyErrors.WriteErrorAsync(context, statusCode, message);
    }

    private static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true };

    private Task HandleErrorAsync(HttpContext context, RouteMatch match, ForwarderError error)
    {
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var method = context.Request.Method;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeResponseCanceled)
        {
            Log.ClientAborted(_logger, method, match.Kind, error);
            RequestTelemetry.Of(context)?.Aborted();
            return Task.CompletedTask;
        }

        var reason = Describe(error, exception);
        RequestTelemetry.Of(context)?.Failed(reason);
        Log.ForwardFailed(_logger, method, match.Kind, match.Origin!, error, reason, exception);
        if (context.Response.HasStarted)
        {
            // Headers are gone; YARP has aborted the response so the client sees a failure, not a short body.
            return Task.CompletedTask;
        }

        context.Response.Clear();
        return HttpMethods.IsPost(method)
            ? ProxyErrors.WriteAgentErrorAsync(context, reason)
            : ProxyErrors.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, reason);
    }

    /// <summary>A short, fixed phrase for the error body: never an exception message (it could name internals).</summary>
    internal static string Describe(ForwarderError error, Exception? exception)
    {
        if (error == ForwarderError.RequestTimedOut)
        {
            return "the identification service did not answer in time";
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound or SocketError.TryAgain }:
                    return "the identification service is unreachable";
                case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted }:
                    return "the connection to the identification service was reset";
                case TimeoutException or TaskCanceledException or OperationCanceledException:
                    return "the identification service did not answer in time";
            }
        }

        return error switch
        {
            ForwarderError.RequestBodyDestination => "the identification service stopped reading the request",
            ForwarderError.ResponseBodyDestination => "the identification service response was cut off",
            _ => "the request to the identification service failed",
        };
    }

    /// <summary>
    /// The path and query exactly as the client sent them, so that the router checks what was sent, not
    /// what a server decoded. Kestrel and the Lambda server keep the request target verbatim in
    /// <see cref="IHttpRequestFeature.RawTarget"/>: origin-form as it is, absolute-form
    /// (<c>http://host/path?query</c>) from its path on. Another server's decoded path is re-encoded.
    /// </summary>
    private static void SplitTarget(HttpContext context, out string path, out ReadOnlySpan<char> query)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is not null && AbsoluteFormPathStart(raw) is { } start)
        {
            raw = start < raw.Length ? raw[start..] : "/";
            if (raw[0] == '?')
            {
                raw = "/" + raw;
            }
        }

        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            var q = raw.IndexOf('?');
            path = q < 0 ? raw : raw[..q];
            query = q < 0 ? default : raw.AsSpan(q);
            return;
        }

        path = (context.Request.PathBase + context.Request.Path).ToUriComponent();
        query = context.Request.QueryString.Value;
    }

    /// <summary>Where the path of an absolute-form target (<c>scheme://authority/path</c>) starts, or null for another form.</summary>
    private static int? AbsoluteFormPathStart(string raw)
    {
        var scheme = raw.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0 || raw.AsSpan(0, scheme).ContainsAnyExcept(SchemeChars))
        {
            return null;
        }

        var authorityStart = scheme + 3;
        var end = raw.AsSpan(authorityStart).IndexOfAny('/', '?');
        return end < 0 ? raw.Length : authorityStart + end;
    }

    private static readonly System.Buffers.SearchValues<char> SchemeChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
}
