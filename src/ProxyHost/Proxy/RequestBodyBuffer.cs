using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace FingerprintProxy.Proxy;

/// <summary>
/// Reads a request body whole, up to the limit, before anything is sent upstream: a request the proxy
/// refuses (too large, broken chunked framing, a body that stops arriving) never reaches Fingerprint, not
/// even its head with the proxy secret. Identification bodies are a few kilobytes, so holding one costs
/// little, and the upstream then gets it with a <c>Content-Length</c> in one piece. The buffer comes from
/// the shared pool and goes back when the request ends.
/// </summary>
internal static class RequestBodyBuffer
{
    private const int ChunkedInitialSize = 16 * 1024;

    /// <summary>Reads the body into memory and puts it in place of the request's body stream.</summary>
    public static async ValueTask<BodyReadOutcome> ReadAsync(HttpContext context, long limit)
    {
        var request = context.Request;
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (!canHaveBody || request.ContentLength == 0)
        {
            return BodyReadOutcome.Read;
        }

        if (request.ContentLength > limit)
        {
            return BodyReadOutcome.TooLarge;
        }

        var known = request.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(known is { } length ? (int)length : (int)Math.Min(ChunkedInitialSize, limit + 1));
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    // Full: one more byte than the limit decides "too large"; otherwise grow (chunked bodies only).
                    var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, total).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return BodyReadOutcome.TooLarge;
                }
            }
        }
        catch (BadHttpRequestException e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge ? BodyReadOutcome.TooLarge : BodyReadOutcome.Unreadable;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return BodyReadOutcome.ClientGone;
        }

        context.Response.RegisterForDispose(new PooledBuffer(buffer));
        request.Body = new MemoryStream(buffer, 0, total, writable: false);
        // Forwarded with its length whatever framing it came in.
        request.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.TransferEncoding);
        request.ContentLength = total;
        return BodyReadOutcome.Read;
    }

    private sealed class PooledBuffer(byte[] buffer) : IDisposable
    {
        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
    }
}

/// <summary>How reading a request body ended.</summary>
internal enum BodyReadOutcome
{
    /// <summary>Read whole (or there is none): forward it.</summary>
    Read,

    /// <summary>Over the limit: 413.</summary>
    TooLarge,

    /// <summary>Broken framing or too slow: 400.</summary>
    Unreadable,

    /// <summary>The client went away: nothing to answer.</summary>
    ClientGone,
}
