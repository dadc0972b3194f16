using System.Diagnostics;

namespace FingerprintProxy.Telemetry;

/// <summary>
/// Reads the X-Ray trace header Lambda gives each invocation (<c>X-Amzn-Trace-Id</c>, <c>_X_AMZN_TRACE_ID</c>:
/// <c>Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1</c>) as a W3C trace
/// context: the X-Ray trace id without its version and dash is the 32-digit W3C trace id, as AWS's own
/// OpenTelemetry propagator maps it.
/// </summary>
internal static class XRayTraceHeader
{
    public const string HeaderName = "X-Amzn-Trace-Id";

    public static bool TryParse(string? header, out ActivityContext context)
    {
        context = default;
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        ReadOnlySpan<char> root = default, parent = default;
        var sampled = false;
        foreach (var range in header.AsSpan().Split(';'))
        {
            var part = header.AsSpan(range).Trim();
            if (part.StartsWith("Root=", StringComparison.Ordinal))
            {
                root = part[5..];
            }
            else if (part.StartsWith("Parent=", StringComparison.Ordinal))
            {
                parent = part[7..];
            }
            else if (part.StartsWith("Sampled=", StringComparison.Ordinal))
            {
                sampled = part[8..].SequenceEqual("1");
            }
        }

        // Root: "1-" + 8 hex digits (epoch seconds) + "-" + 24 hex digits.
        if (root.Length != 35 || !root.StartsWith("1-", StringComparison.Ordinal) || root[10] != '-' || parent.Length != 16)
        {
            return false;
        }

        Span<char> traceId = stackalloc char[32];
        root.Slice(2, 8).CopyTo(traceId);
        root.Slice(11, 24).CopyTo(traceId[8..]);
        if (traceId.ContainsAnyExcept(HexDigits) || parent.ContainsAnyExcept(HexDigits) || !traceId.ContainsAnyExcept('0') || !parent.ContainsAnyExcept('0'))
        {
            return false;
        }

        context = new ActivityContext(
            ActivityTraceId.CreateFromString(traceId),
            ActivitySpanId.CreateFromString(parent),
            sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
            isRemote: true);
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");
}
