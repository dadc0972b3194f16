namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// The response body of an invocation, kept in memory until the pipeline has finished. The first write
/// or flush starts the response (runs <c>OnStarting</c>), as on Kestrel. Past the Function URL's limit
/// it stops accepting bytes and fails the write, so the application stops producing a body that could
/// only be thrown away; the server then answers with an error instead of a truncated body.
/// </summary>
internal sealed class LambdaResponseBodyStream : Stream
{
    private readonly LambdaHttpFeatures _features;
    private readonly int _maxBytes;
    private readonly MemoryStream _buffer = new();

    public LambdaResponseBodyStream(LambdaHttpFeatures features, int maxBytes)
    {
        _features = features;
        _maxBytes = maxBytes;
    }

    public bool Overflowed { get; private set; }

    public ReadOnlyMemory<byte> Buffered => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_features.AllowSynchronousIO)
        {
            throw new InvalidOperationException("Synchronous operations are disallowed. Call WriteAsync or set AllowSynchronousIO to true instead.");
        }

        if (!_features.HasStarted)
        {
            _features.StartAsync().GetAwaiter().GetResult();
        }

        Append(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_features.HasStarted)
        {
            await _features.StartAsync(cancellationToken);
        }

        Append(buffer.Span);
    }

    public override void Flush()
    {
        if (!_features.HasStarted)
        {
            if (!_features.AllowSynchronousIO)
            {
                throw new InvalidOperationException("Synchronous operations are disallowed. Call FlushAsync or set AllowSynchronousIO to true instead.");
            }

            _features.StartAsync().GetAwaiter().GetResult();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _features.StartAsync(cancellationToken);

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (Overflowed || _buffer.Length + bytes.Length > _maxBytes)
        {
            Overflowed = true;
            throw new IOException($"The response body is larger than the {_maxBytes} bytes a Lambda Function URL can return.");
        }

        _buffer.Write(bytes);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
