using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// Turns a Function URL's <c>rawPath</c> into <c>HttpRequest.Path</c> the way Kestrel does for a request
/// line: percent-escapes are decoded as UTF-8 except <c>%2F</c> (decoding it would create a path
/// separator that the client did not send), escapes that do not form valid UTF-8 stay as sent, and dot
/// segments are removed after decoding (RFC 3986 §5.2.4). The raw form stays available in
/// <c>IHttpRequestFeature.RawTarget</c>, which is what a reverse proxy (YARP) forwards.
/// </summary>
internal static class RequestPathDecoder
{
    /// <summary>Decodes <paramref name="rawPath"/>; false for a path Kestrel refuses with 400 (an encoded NUL).</summary>
    public static bool TryDecode(string rawPath, [NotNullWhen(true)] out string? path)
    {
        if (rawPath.Contains("%00", StringComparison.Ordinal))
        {
            path = null;
            return false;
        }

        path = Decode(rawPath);
        return true;
    }

    public static string Decode(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }

        var path = rawPath.Contains('%') ? DecodePercentEscapes(rawPath) : rawPath;
        return RemoveDotSegments(path);
    }

    private static string DecodePercentEscapes(string rawPath)
    {
        var source = Encoding.UTF8.GetBytes(rawPath);
        var output = ArrayPool<byte>.Shared.Rent(source.Length);
        try
        {
            var written = 0;
            Span<byte> sequence = stackalloc byte[4];
            for (var i = 0; i < source.Length;)
            {
                if (!TryReadEscape(source, i, out var first))
                {
                    output[written++] = source[i++];
                    continue;
                }

                if (first == (byte)'/')
                {
                    // Kestrel keeps %2F encoded: it is data inside a segment, not a separator.
                    output[written++] = source[i];
                    output[written++] = source[i + 1];
                    output[written++] = source[i + 2];
                    i += 3;
                    continue;
                }

                var length = Utf8SequenceLength(first);
                var valid = length > 0;
                sequence[0] = first;
                for (var k = 1; valid && k < length; k++)
                {
                    valid = TryReadEscape(source, i + (3 * k), out sequence[k]);
                }

                if (valid && Rune.DecodeFromUtf8(sequence[..length], out _, out var consumed) == OperationStatus.Done && consumed == length)
                {
                    sequence[..length].CopyTo(output.AsSpan(written));
                    written += length;
                    i += 3 * length;
                }
                else
                {
                    // Not valid UTF-8: keep the escape as sent rather than invent a replacement character.
                    output[written++] = source[i++];
                }
            }

            return Encoding.UTF8.GetString(output, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static bool TryReadEscape(byte[] source, int index, out byte value)
    {
        value = 0;
        if (index + 2 >= source.Length || source[index] != (byte)'%')
        {
            return false;
        }

        var high = HexValue(source[index + 1]);
        var low = HexValue(source[index + 2]);
        if (high < 0 || low < 0)
        {
            return false;
        }

        value = (byte)((high << 4) | low);
        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static int Utf8SequenceLength(byte first) => first switch
    {
        // %00 is never decoded (TryDecode refuses it, as Kestrel does).
        0 => 0,
        < 0x80 => 1,
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 0,
    };

    private static string RemoveDotSegments(string path)
    {
        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        if (!path.Contains("/.", StringComparison.Ordinal))
        {
            return path;
        }

        var segments = path.Split('/');
        var output = new List<string>(segments.Length);
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;
            if (segment is "." or "..")
            {
                if (segment == ".." && output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                if (isLast)
                {
                    // "/a/b/.." is "/a/": the path still ends at a directory.
                    output.Add(string.Empty);
                }

                continue;
            }

            output.Add(segment);
        }

        return "/" + string.Join('/', output);
    }
}
