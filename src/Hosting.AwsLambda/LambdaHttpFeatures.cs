using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// The server side of one HTTP request carried by one Lambda invocation: what Kestrel's connection
/// object is for a socket. The request is fully buffered (a Function URL hands the whole body over in
/// the event) and so is the response (a Function URL takes one JSON document back), so "sending"
/// means building that document after the pipeline has finished.
/// </summary>
/// <remarks>
/// Semantics follow Kestrel where the pipeline can observe them: <see cref="HasStarted"/> turns true at
/// the first body write or flush and freezes status and headers; <c>OnStarting</c> and
/// <c>OnCompleted</c> callbacks run in reverse registration order; synchronous body IO is refused
/// unless allowed; reading a body larger than <see cref="MaxRequestBodySize"/> fails with 413.
/// </remarks>
internal sealed class LambdaHttpFeatures :
    IHttpRequestFeature,
    IHttpResponseFeature,
    IHttpResponseBodyFeature,
    IHttpConnectionFeature,
    IHttpRequestLifetimeFeature,
    IHttpRequestIdentifierFeature,
    IHttpRequestBodyDetectionFeature,
    IHttpMaxRequestBodySizeFeature,
    IHttpBodyControlFeature,
    IDisposable
{
    private readonly CancellationTokenSource _abortSource = new();
    private readonly LambdaRequestBodyStream _requestBody;
    private readonly LambdaResponseBodyStream _responseBody;
    private readonly HeaderDictionary _responseHeaders = new();
    private Stack<(Func<object, Task> Callback, object State)>? _onStarting;
    private Stack<(Func<object, Task> Callback, object State)>? _onCompleted;
    private PipeWriter? _responseWriter;
    private int _statusCode = StatusCodes.Status200OK;
    private long? _maxRequestBodySize;

    public LambdaHttpFeatures(byte[] requestBody, int maxResponseBodyBytes, long? maxRequestBodySize)
    {
        _maxRequestBodySize = maxRequestBodySize;
        _requestBody = new LambdaRequestBodyStream(requestBody, this);
        _responseBody = new LambdaResponseBodyStream(this, maxResponseBodyBytes);
        Collection = new FeatureCollection();
        Collection.Set<IHttpRequestFeature>(this);
        Collection.Set<IHttpResponseFeature>(this);
        Collection.Set<IHttpResponseBodyFeature>(this);
        Collection.Set<IHttpConnectionFeature>(this);
        Collection.Set<IHttpRequestLifetimeFeature>(this);
        Collection.Set<IHttpRequestIdentifierFeature>(this);
        Collection.Set<IHttpRequestBodyDetectionFeature>(this);
        Collection.Set<IHttpMaxRequestBodySizeFeature>(this);
        Collection.Set<IHttpBodyControlFeature>(this);
        RequestAborted = _abortSource.Token;
        ((IHttpRequestFeature)this).Body = _requestBody;
    }

    /// <summary>The collection handed to <c>IHttpApplication.CreateContext</c>.</summary>
    public FeatureCollection Collection { get; }

    /// <summary>True when the application called <see cref="IHttpRequestLifetimeFeature.Abort"/>.</summary>
    public bool AbortedByApplication { get; private set; }

    /// <summary>True when the invocation deadline cancelled <see cref="RequestAborted"/>.</summary>
    public bool DeadlineExceeded { get; private set; }

    /// <summary>The number of bytes in the request body.</summary>
    public long RequestBodyLength => _requestBody.Length;

    /// <summary>The buffered response body.</summary>
    public ReadOnlyMemory<byte> ResponseBody => _responseBody.Buffered;

    /// <summary>True when the application wrote more than a Function URL can return.</summary>
    public bool ResponseBodyTooLarge => _responseBody.Overflowed;

    // IHttpRequestFeature
    public string Protocol { get; set; } = "HTTP/1.1";

    public string Scheme { get; set; } = "https";

    public string Method { get; set; } = HttpMethods.Get;

    public string PathBase { get; set; } = string.Empty;

    public string Path { get; set; } = "/";

    public string QueryString { get; set; } = string.Empty;

    public string RawTarget { get; set; } = "/";

    IHeaderDictionary IHttpRequestFeature.Headers { get; set; } = new HeaderDictionary();

    public IHeaderDictionary RequestHeaders => ((IHttpRequestFeature)this).Headers;

    Stream IHttpRequestFeature.Body { get; set; } = Stream.Null;

    // IHttpConnectionFeature
    public string ConnectionId { get; set; } = string.Empty;

    public IPAddress? RemoteIpAddress { get; set; }

    public IPAddress? LocalIpAddress { get; set; }

    public int RemotePort { get; set; }

    public int LocalPort { get; set; } = 443;

    // IHttpRequestIdentifierFeature
    public string TraceIdentifier { get; set; } = string.Empty;

    // IHttpRequestLifetimeFeature
    public CancellationToken RequestAborted { get; set; }

    void IHttpRequestLifetimeFeature.Abort()
    {
        AbortedByApplication = true;
        Cancel();
    }

    // IHttpRequestBodyDetectionFeature: like Kestrel, a request with no body bytes cannot have a body.
    public bool CanHaveBody => _requestBody.Length > 0;

    // IHttpMaxRequestBodySizeFeature
    public bool IsReadOnly => _requestBody.ReadStarted;

    public long? MaxRequestBodySize
    {
        get => _maxRequestBodySize;
        set
        {
            if (IsReadOnly)
            {
                throw new InvalidOperationException("The maximum request body size cannot be modified after the app has already started reading from the request body.");
            }

            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "Value must be null or a non-negative number.");
            }

            _maxRequestBodySize = value;
        }
    }

    // IHttpBodyControlFeature: Kestrel's default, so code that works here works there.
    public bool AllowSynchronousIO { get; set; }

    // IHttpResponseFeature
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            ThrowIfStarted();
            _statusCode = value;
        }
    }

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers
    {
        get => _responseHeaders;
        set => throw new NotSupportedException("The response headers of a Lambda invocation cannot be replaced.");
    }

    [Obsolete("Use IHttpResponseBodyFeature.Stream.")]
    Stream IHttpResponseFeature.Body
    {
        get => _responseBody;
        set => throw new NotSupportedException("Replace the response body through HttpResponse.Body.");
    }

    public bool HasStarted { get; private set; }

    public void OnStarting(Func<object, Task> callback, object state)
    {
        ThrowIfStarted();
        (_onStarting ??= new()).Push((callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) =>
        (_onCompleted ??= new()).Push((callback, state));

    // IHttpResponseBodyFeature
    public Stream Stream => _responseBody;

    public PipeWriter Writer => _responseWriter ??= PipeWriter.Create(_responseBody, new StreamPipeWriterOptions(leaveOpen: true));

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }

        // Callbacks may still change headers; the response counts as started only once they have run.
        while (_onStarting is { Count: > 0 })
        {
            var (callback, state) = _onStarting.Pop();
            await callback(state);
        }

        HasStarted = true;
        _responseHeaders.IsReadOnly = true;
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        await StartAsync();
        if (_responseWriter is not null)
        {
            await _responseWriter.CompleteAsync();
        }
    }

    /// <summary>Runs the <c>OnCompleted</c> callbacks once the response has been handed over.</summary>
    public async Task FireOnCompletedAsync()
    {
        while (_onCompleted is { Count: > 0 })
        {
            var (callback, state) = _onCompleted.Pop();
            await callback(state);
        }
    }

    /// <summary>Cancels <see cref="RequestAborted"/> because the invocation deadline has come.</summary>
    public void AbortForDeadline()
    {
        DeadlineExceeded = true;
        Cancel();
    }

    public void Dispose()
    {
        _abortSource.Dispose();
    }

    private void Cancel()
    {
        try
        {
            _abortSource.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The invocation is already over.
        }
    }

    private void ThrowIfStarted()
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started; its status and headers can no longer change.");
        }
    }
}
