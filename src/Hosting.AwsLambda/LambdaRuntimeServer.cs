using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using BadHttpRequestException = Microsoft.AspNetCore.Http.BadHttpRequestException;

namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// An <see cref="IServer"/> that takes its requests from the Lambda Runtime API instead of a socket: it
/// fetches one Function URL event at a time, runs it through the application's pipeline and posts the
/// buffered response back. Lambda sends one event at a time to an execution environment, so one loop
/// serves them all.
/// </summary>
/// <remarks>
/// Outcomes, decided in this order:
/// an event that cannot be read goes to <c>/invocation/{id}/error</c> (the client gets the Function URL's
/// 502); a request over Kestrel's request-line or header limits is answered 414/431 without running the
/// pipeline, as Kestrel would; the deadline passing (<see cref="LambdaHostingOptions.DeadlineMargin"/>
/// before <c>Lambda-Runtime-Deadline-Ms</c>) aborts the request and answers 504 <c>{"error":...}</c>; a
/// response over the 6 MB a Function URL can return answers 502 <c>{"error":...}</c>, never a truncated
/// body; a response the application aborted answers 502; an unhandled exception answers 500 with no body
/// (a <c>BadHttpRequestException</c> its own status), and the loop goes on. Before each invocation the
/// <see cref="LambdaHostingOptions.BeforeInvocationAsync"/> hook runs; its failure does not fail the
/// invocation. Three Runtime API failures in a row stop the application, so the process exits and Lambda
/// replaces the execution environment.
/// </remarks>
internal sealed partial class LambdaRuntimeServer : IServer
{
    private const string TraceIdEnvironmentVariable = "_X_AMZN_TRACE_ID";
    private const int MaxConsecutiveFailures = 3;

    // The longest a timer can be set for (about 49 days); a deadline further away never comes during an invocation.
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly string _runtimeApi;
    private readonly IOptions<LambdaHostingOptions> _options;
    private readonly IOptions<KestrelServerOptions> _kestrelOptions;
    private readonly TimeProvider _timeProvider;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServiceProvider _services;
    private readonly ILogger<LambdaRuntimeServer> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private LambdaRuntimeApiClient? _client;
    private Task? _loop;

    // Read at start, not at construction: the host builds the server before options are validated, and a
    // bad setting must fail start-up with its own message.
    private LambdaHostingOptions _settings = null!;
    private KestrelServerLimits _limits = null!;

    public LambdaRuntimeServer(
        string runtimeApi,
        IOptions<LambdaHostingOptions> options,
        IOptions<KestrelServerOptions> kestrelOptions,
        TimeProvider timeProvider,
        IHostApplicationLifetime lifetime,
        IServiceProvider services,
        ILogger<LambdaRuntimeServer> logger)
    {
        _runtimeApi = runtimeApi;
        _options = options;
        _kestrelOptions = kestrelOptions;
        _timeProvider = timeProvider;
        _lifetime = lifetime;
        _services = services;
        _logger = logger;
        // Hosting reads listening addresses from this feature; a Lambda function listens on none.
        Features.Set<IServerAddressesFeature>(new ServerAddressesFeature());
    }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        ArgumentNullException.ThrowIfNull(application);
        if (_loop is not null)
        {
            throw new InvalidOperationException("The Lambda server has already been started.");
        }

        _settings = _options.Value;
        // Kestrel's limits, as the application configured them, apply here too, so that a request gets
        // the same answer whichever server receives it.
        _limits = _kestrelOptions.Value.Limits;
        _client = new LambdaRuntimeApiClient(_runtimeApi);
        _loop = Task.Run(() => RunAsync(application, _client, _stopping.Token), CancellationToken.None);
        Log.Started(_logger, _runtimeApi);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            // An invocation under way finishes (it is bounded by its deadline); a pending long poll ends now.
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        // Not disposed: a host stopped twice (its own run ending while a caller stops it) may call StopAsync
        // after Dispose, and a token source that owns no timer holds nothing to release.
        _stopping.Cancel();
        _client?.Dispose();
    }

    private async Task RunAsync<TContext>(IHttpApplication<TContext> application, LambdaRuntimeApiClient client, CancellationToken stopping)
        where TContext : notnull
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await client.GetNextInvocationAsync(stopping);
                failures = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                failures++;
                Log.NextInvocationFailed(_logger, failures, exception);
                if (failures >= MaxConsecutiveFailures)
                {
                    // Without the Runtime API there is nothing to serve: stop, so the process exits and
                    // Lambda replaces the execution environment.
                    Log.GivingUp(_logger, failures);
                    _lifetime.StopApplication();
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100 * failures), _timeProvider, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            try
            {
                // Process-wide, which is right here: Lambda runs one invocation at a time in an environment.
                // Set before the hook, so that calls it makes are traced as part of this invocation.
                Environment.SetEnvironmentVariable(TraceIdEnvironmentVariable, invocation.TraceId);
                await BeforeInvocationAsync(invocation, stopping);
                await HandleAsync(application, client, invocation);
            }
            catch (Exception exception)
            {
                // HandleAsync answers every failure it can; this is the last line that keeps the loop alive.
                Log.InvocationFailed(_logger, invocation.RequestId, exception);
            }
        }
    }

    private async Task BeforeInvocationAsync(LambdaInvocation invocation, CancellationToken stopping)
    {
        if (_settings.BeforeInvocationAsync is not { } hook)
        {
            return;
        }

        try
        {
            await hook(_services, stopping);
        }
        catch (Exception exception)
        {
            Log.BeforeInvocationFailed(_logger, invocation.RequestId, exception);
        }
    }

    private async Task HandleAsync<TContext>(IHttpApplication<TContext> application, LambdaRuntimeApiClient client, LambdaInvocation invocation)
        where TContext : notnull
    {
        FunctionUrlRequest request;
        byte[] body;
        try
        {
            request = FunctionUrlRequestMapper.Parse(invocation.Event);
            body = FunctionUrlRequestMapper.DecodeBody(request);
        }
        catch (InvalidDataException exception)
        {
            Log.InvalidEvent(_logger, invocation.RequestId, exception.Message);
            await PostErrorAsync(client, invocation, new LambdaErrorPayload { ErrorType = "Runtime.InvalidEvent", ErrorMessage = exception.Message });
            return;
        }

        using var features = new LambdaHttpFeatures(body, FunctionUrlResponseBuilder.MaxPayloadBytes, _limits.MaxRequestBodySize);
        var validTarget = FunctionUrlRequestMapper.Apply(request, invocation, features);
        if ((validTarget ? CheckLimits(features) : StatusCodes.Status400BadRequest) is { } refusal)
        {
            await PostAsync(client, invocation, FunctionUrlResponseBuilder.Build(refusal, new HeaderDictionary(), []));
            return;
        }

        using var deadline = ArmDeadline(invocation, features);
        var context = application.CreateContext(features.Collection);
        Exception? applicationException = null;
        try
        {
            await application.ProcessRequestAsync(context);
            await features.CompleteAsync();
        }
        catch (Exception exception)
        {
            applicationException = exception;
            Log.ApplicationError(_logger, invocation.RequestId, exception);
        }

        try
        {
            await PostAsync(client, invocation, Choose(features, applicationException, invocation.RequestId));
            await features.FireOnCompletedAsync();
        }
        catch (Exception exception)
        {
            applicationException ??= exception;
            Log.ApplicationError(_logger, invocation.RequestId, exception);
        }
        finally
        {
            application.DisposeContext(context, applicationException);
        }
    }

    private FunctionUrlResponse Choose(LambdaHttpFeatures features, Exception? applicationException, string requestId)
    {
        if (features.DeadlineExceeded)
        {
            Log.DeadlineExceeded(_logger, requestId);
            return FunctionUrlResponseBuilder.Error(StatusCodes.Status504GatewayTimeout, "The request did not complete before the Lambda invocation deadline.");
        }

        if (features.ResponseBodyTooLarge)
        {
            return TooLarge(requestId);
        }

        if (features.AbortedByApplication)
        {
            Log.ResponseAborted(_logger, requestId);
            return FunctionUrlResponseBuilder.Error(StatusCodes.Status502BadGateway, "The response was aborted before it was complete.");
        }

        if (applicationException is not null)
        {
            // As Kestrel: nothing the application set survives an unhandled exception.
            var status = applicationException is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            return FunctionUrlResponseBuilder.Build(status, new HeaderDictionary(), []);
        }

        return FunctionUrlResponseBuilder.Build(features.StatusCode, features.Headers, features.ResponseBody.Span);
    }

    private FunctionUrlResponse TooLarge(string requestId)
    {
        Log.ResponseTooLarge(_logger, requestId, FunctionUrlResponseBuilder.MaxPayloadBytes);
        return FunctionUrlResponseBuilder.Error(
            StatusCodes.Status502BadGateway,
            $"The response is larger than the {FunctionUrlResponseBuilder.MaxPayloadBytes} bytes a Lambda Function URL can return.");
    }

    private async Task PostAsync(LambdaRuntimeApiClient client, LambdaInvocation invocation, FunctionUrlResponse response)
    {
        var payload = FunctionUrlResponseBuilder.Serialize(response);
        if (payload.Length > FunctionUrlResponseBuilder.MaxPayloadBytes)
        {
            // The body fitted but base64 or headers took the document over the limit.
            payload = FunctionUrlResponseBuilder.Serialize(TooLarge(invocation.RequestId));
        }

        try
        {
            await client.PostResponseAsync(invocation.RequestId, payload, CancellationToken.None);
        }
        catch (HttpRequestException exception)
        {
            Log.PostFailed(_logger, invocation.RequestId, exception);
            await PostErrorAsync(client, invocation, new LambdaErrorPayload { ErrorType = "Runtime.ResponseRefused", ErrorMessage = exception.Message });
        }
    }

    private async Task PostErrorAsync(LambdaRuntimeApiClient client, LambdaInvocation invocation, LambdaErrorPayload error)
    {
        try
        {
            await client.PostInvocationErrorAsync(invocation.RequestId, error, CancellationToken.None);
        }
        catch (HttpRequestException exception)
        {
            Log.PostFailed(_logger, invocation.RequestId, exception);
        }
    }

    private ITimer? ArmDeadline(LambdaInvocation invocation, LambdaHttpFeatures features)
    {
        if (invocation.Deadline is not { } deadline)
        {
            return null;
        }

        var due = deadline - _settings.DeadlineMargin - _timeProvider.GetUtcNow();
        if (due <= TimeSpan.Zero)
        {
            features.AbortForDeadline();
            return null;
        }

        if (due > MaxTimerDue)
        {
            return null;
        }

        return _timeProvider.CreateTimer(static state => ((LambdaHttpFeatures)state!).AbortForDeadline(), features, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Kestrel's request-line and header limits: 414 or 431, as Kestrel answers them.</summary>
    private int? CheckLimits(LambdaHttpFeatures features)
    {
        var requestLine = features.Method.Length + 1 + Encoding.UTF8.GetByteCount(features.RawTarget) + " HTTP/1.1\r\n".Length;
        if (requestLine > _limits.MaxRequestLineSize)
        {
            return StatusCodes.Status414UriTooLong;
        }

        var headers = features.RequestHeaders;
        if (headers.Count > _limits.MaxRequestHeaderCount)
        {
            return StatusCodes.Status431RequestHeaderFieldsTooLarge;
        }

        long total = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                total += name.Length + 2 + Encoding.UTF8.GetByteCount(value ?? string.Empty) + 2;
            }
        }

        return total > _limits.MaxRequestHeadersTotalSize ? StatusCodes.Status431RequestHeaderFieldsTooLarge : null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Serving Lambda Function URL invocations from the Runtime API at {RuntimeApi}.")]
        public static partial void Started(ILogger logger, string runtimeApi);

        [LoggerMessage(2, LogLevel.Error, "Could not get the next invocation from the Runtime API (attempt {Attempt}).")]
        public static partial void NextInvocationFailed(ILogger logger, int attempt, Exception exception);

        [LoggerMessage(3, LogLevel.Critical, "The Runtime API failed {Attempts} times in a row; stopping.")]
        public static partial void GivingUp(ILogger logger, int attempts);

        [LoggerMessage(4, LogLevel.Error, "Invocation {RequestId} is not a Function URL event: {Reason}")]
        public static partial void InvalidEvent(ILogger logger, string requestId, string reason);

        [LoggerMessage(5, LogLevel.Error, "An unhandled exception was thrown by the application while serving invocation {RequestId}.")]
        public static partial void ApplicationError(ILogger logger, string requestId, Exception exception);

        [LoggerMessage(6, LogLevel.Warning, "Invocation {RequestId} reached its deadline; answering 504.")]
        public static partial void DeadlineExceeded(ILogger logger, string requestId);

        [LoggerMessage(7, LogLevel.Warning, "The response to invocation {RequestId} is larger than the {Limit} bytes a Function URL can return; answering 502.")]
        public static partial void ResponseTooLarge(ILogger logger, string requestId, int limit);

        [LoggerMessage(8, LogLevel.Warning, "The application aborted the response to invocation {RequestId}; answering 502.")]
        public static partial void ResponseAborted(ILogger logger, string requestId);

        [LoggerMessage(9, LogLevel.Error, "The Runtime API refused the result of invocation {RequestId}.")]
        public static partial void PostFailed(ILogger logger, string requestId, Exception exception);

        [LoggerMessage(10, LogLevel.Error, "Invocation {RequestId} failed outside the application.")]
        public static partial void InvocationFailed(ILogger logger, string requestId, Exception exception);

        [LoggerMessage(11, LogLevel.Warning, "The hook run before invocation {RequestId} failed; serving the invocation anyway.")]
        public static partial void BeforeInvocationFailed(ILogger logger, string requestId, Exception exception);
    }
}
