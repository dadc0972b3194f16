using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// The request body of an invocation: bytes already in memory, read once, front to back. Like Kestrel it
/// checks <see cref="IHttpMaxRequestBodySizeFeature.MaxRequestBodySize"/> when reading starts (so the
/// application can still change the limit before) and refuses synchronous reads unless allowed.
/// </summary>
internal sealed class LambdaRequestBodyStream : Stream
{
    private readonly byte[] _body;
    private readonly LambdaHttpFeatures _features;
    private int _position;

    public LambdaRequestBodyStream(byte[] body, LambdaHttpFeatures features)
    {
        _body = body;
        _features = features;
    }

    public bool ReadStarted { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _body.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!_features.AllowSynchronousIO)
        {
            throw new InvalidOperationException("Synchronous operations are disallowed. Call ReadAsync or set AllowSynchronousIO to true instead.");
        }

        return ReadCore(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(ReadCore(buffer.Span));
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<int>(exception);
        }
    }

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        StartRead();
        var remaining = _body.Length - _position;
        if (remaining > 0)
        {
            await destination.WriteAsync(_body.AsMemory(_position, remaining), cancellationToken);
            _position += remaining;
        }
    }

    private int ReadCore(Span<byte> buffer)
    {
        StartRead();
        var count = Math.Min(buffer.Length, _body.Length - _position);
        _body.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    private void StartRead()
    {
        ReadStarted = true;
        if (_features.MaxRequestBodySize is { } max && _body.Length > max)
        {
            throw new BadHttpRequestException($"Request body too large. The max request body size is {max} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
