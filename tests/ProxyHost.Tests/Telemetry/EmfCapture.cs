using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using FingerprintProxy.Telemetry;

namespace FingerprintProxy.Tests.Telemetry;

/// <summary>Stands in for standard output under the EMF writer: each flush, as its parsed JSON lines.</summary>
public sealed class EmfCapture : TextWriter
{
    private readonly Channel<string> _flushes = Channel.CreateUnbounded<string>();

    public override Encoding Encoding => Encoding.UTF8;

    internal EmfOutput Output => new(this);

    public override void Write(string? value)
    {
        if (value is not null)
        {
            _flushes.Writer.TryWrite(value);
        }
    }

    /// <summary>Whether a flush has been written and not read yet.</summary>
    public bool HasPendingFlush => _flushes.Reader.TryPeek(out _);

    /// <summary>The documents of the next flush (a bounded wait: the flush follows the answer).</summary>
    public async Task<IReadOnlyList<JsonObject>> NextFlushAsync()
    {
        var text = await _flushes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.EndsWith("\n", text);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }
}

/// <summary>Reads EMF documents as CloudWatch would.</summary>
public static class EmfDocuments
{
    /// <summary>The value of <paramref name="metric"/> in the document whose dimensions have the given values, or null.</summary>
    public static JsonNode? Metric(this IEnumerable<JsonObject> documents, string metric, params (string Name, string Value)[] dimensions) =>
        documents.FirstOrDefault(d => d.ContainsKey(metric) && dimensions.All(x => (string?)d[x.Name] == x.Value))?[metric];

    /// <summary>The dimension sets (names joined with ',') and unit CloudWatch would publish <paramref name="metric"/> with.</summary>
    public static (string[] DimensionSets, string Unit, string Namespace) Directive(this JsonObject document, string metric)
    {
        foreach (var directive in document["_aws"]!["CloudWatchMetrics"]!.AsArray())
        {
            var entry = directive!["Metrics"]!.AsArray().FirstOrDefault(m => (string?)m!["Name"] == metric);
            if (entry is not null)
            {
                var dimensions = directive["Dimensions"]!.AsArray().Select(set => string.Join(',', set!.AsArray().Select(n => (string)n!))).ToArray();
                return (dimensions, (string)entry["Unit"]!, (string)directive["Namespace"]!);
            }
        }

        throw new Xunit.Sdk.XunitException($"No directive for {metric} in {document.ToJsonString()}");
    }
}
