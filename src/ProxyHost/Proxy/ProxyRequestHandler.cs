using System.Net.Sockets;
using FingerprintProxy.Configuration;
using FingerprintProxy.Status;
using FingerprintProxy.Transforms;
using FingerprintProxy.Viewer;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Proxy;

/// <summary>
/// The proxy's one endpoint: routes every request against the settings in force, answers the status
/// page and bad input itself, and forwards the rest through YARP's <see cref="IHttpForwarder"/> with the
/// Fingerprint transforms. Turns forwarding failures into the contract's error bodies.
/// </summary>
internal sealed class ProxyRequestHandler
{
    private readonly ProxySettingsStore _settings;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly HttpTransformer _transformer;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly IViewerContextResolver _viewer;
    private readonly StatusPage _statusPage;
    private readonly OriginVerifier _originVerifier;
    private readonly long _maxBodyBytes;
    private readonly ILogger _logger;

    public ProxyRequestHandler(
        ProxySettingsStore settings,
        IHttpForwarder forwarder,
        UpstreamClient client,
        ProxyTransformer transformer,
        IViewerContextResolver viewer,
        StatusPage statusPage,
        OriginVerifier originVerifier,
        IOptions<ProxyOptions> options,
        ILogger<ProxyRequestHandler> logger)
    {
        _settings = settings;
        _forwarder = forwarder;
        _client = client.Invoker;
        _transformer = transformer.Transformer;
        _viewer = viewer;
        _statusPage = statusPage;
        _originVerifier = originVerifier;
        _logger = logger;
        _maxBodyBytes = options.Value.MaxRequestBodyBytes;
        _requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = TimeSpan.FromSeconds(options.Value.ResponseTimeoutSeconds),
            // Bodies are streamed both ways; never buffered whole.
            AllowResponseBuffering = false,
        };
    }

    public Task InvokeAsync(HttpContext context)
    {
        var settings = _settings.Current;
        if (!_originVerifier.Verify(context, settings))
        {
            Log.Refused(_logger, context.Request.Method, "missing or wrong origin-verification header");
            return ProxyErrors.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Forbidden.");
        }

        SplitTarget(context, out var path, out var query);
        var match = ProxyRouter.Match(path, query, settings);
        switch (match.Kind)
        {
            case RouteKind.NotFound:
                return ProxyErrors.WriteErrorAsync(context, StatusCodes.Status404NotFound, "Not found.");
            case RouteKind.BadRequest:
                Log.Refused(_logger, context.Request.Method, match.Error!);
                return ProxyErrors.WriteErrorAsync(context, StatusCodes.Status400BadRequest, match.Error!);
            case RouteKind.Status:
                return _statusPage.WriteAsync(context, settings);
            default:
                return ForwardAsync(context, settings, match, query.ToString());
        }
    }

    private async Task ForwardAsync(HttpContext context, ProxySettings settings, RouteMatch match, string query)
    {
        var request = context.Request;
        if (request.ContentLength > _maxBodyBytes)
        {
            Log.BodyTooLarge(_logger, request.Method, request.ContentLength.Value, _maxBodyBytes);
            await ProxyErrors.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {_maxBodyBytes} bytes.");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = _maxBodyBytes;
        }

        context.Features.Set(settings);
        context.Features.Set(_viewer.Resolve(context));
        context.Features.Set(new ForwardTarget(match.Origin!, match.UpstreamPath!, query));

        var error = await _forwarder.SendAsync(context, match.Origin!, _client, _requestConfig, _transformer);
        if (error != ForwarderError.None)
        {
            await HandleErrorAsync(context, match, error);
        }
    }

    private Task HandleErrorAsync(HttpContext context, RouteMatch match, ForwarderError error)
    {
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var method = context.Request.Method;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeResponseCanceled)
        {
            Log.ClientAborted(_logger, method, match.Kind, error);
            return Task.CompletedTask;
        }

        if (error == ForwarderError.RequestBodyClient)
        {
            if (context.Response.HasStarted)
            {
                return Task.CompletedTask;
            }

            ResetResponse(context);
            if (IsBodyTooLarge(exception))
            {
                Log.BodyTooLarge(_logger, method, -1, _maxBodyBytes);
                return ProxyErrors.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {_maxBodyBytes} bytes.");
            }

            Log.Refused(_logger, method, "the request body could not be read");
            return ProxyErrors.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "The request body could not be read.");
        }

        var reason = Describe(error, exception);
        Log.ForwardFailed(_logger, method, match.Kind, match.Origin!, error, reason, exception);
        if (context.Response.HasStarted)
        {
            // Headers are gone; YARP has aborted the response so the client sees a failure, not a short body.
            return Task.CompletedTask;
        }

        ResetResponse(context);
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

    private static bool IsBodyTooLarge(Exception? exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }

    private static void ResetResponse(HttpContext context)
    {
        context.Response.Clear();
    }

    /// <summary>
    /// The path and query exactly as the client sent them. Kestrel keeps the request target verbatim in
    /// <see cref="IHttpRequestFeature.RawTarget"/>; for other forms (absolute-form, other servers) the
    /// decoded path is re-encoded.
    /// </summary>
    private static void SplitTarget(HttpContext context, out string path, out ReadOnlySpan<char> query)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
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
}
