using System.Diagnostics.Tracing;
using System.Text.Json.Nodes;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// Listens, inside the proxy's process, to the dependency-injection container's event source and appends to
/// a file, one per line, every closed generic type the container creates through a constructor
/// (<c>OptionsFactory`1[ProxyOptions]</c>, <c>Logger`1[HttpForwarder]</c>, ...): the types it makes from
/// open generic registrations at run time, which Native AOT must otherwise build on first use.
/// </summary>
public sealed class ServiceGraphRecorder : EventListener
{
    /// <summary>The environment variable that names the file to append to.</summary>
    public const string FileVariable = "BLACKBOX_SERVICE_GRAPH_FILE";

    private const string SourceName = "Microsoft-Extensions-DependencyInjection";

    // Field initialisers run before the base constructor, which may already deliver events.
    private readonly Lock _lock = new();
    private readonly Dictionary<(int Provider, string Service), string?[]> _chunks = [];
    private readonly string _path = Environment.GetEnvironmentVariable(FileVariable)
        ?? throw new InvalidOperationException($"{FileVariable} is not set.");

    // Called from the base constructor for the sources that already exist, and later for each new one.
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == SourceName)
        {
            EnableEvents(eventSource, EventLevel.Verbose, EventKeywords.All);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // CallSiteBuilt(serviceType, callSite, chunkIndex, chunkCount, serviceProviderHashCode): a call site's
        // JSON description, in chunks when it is long.
        if (eventData.EventName != "CallSiteBuilt" || eventData.Payload is not [string service, string chunk, int index, int count, int provider])
        {
            return;
        }

        lock (_lock)
        {
            var key = (provider, service);
            if (!_chunks.TryGetValue(key, out var parts))
            {
                _chunks[key] = parts = new string?[count];
            }

            parts[index] = chunk;
            if (parts.Any(part => part is null))
            {
                return;
            }

            _chunks.Remove(key);
            var types = new SortedSet<string>(StringComparer.Ordinal);
            Collect(JsonNode.Parse(string.Concat(parts)), types);
            File.AppendAllLines(_path, types);
        }
    }

    private static void Collect(JsonNode? node, SortedSet<string> types)
    {
        switch (node)
        {
            case JsonObject callSite:
                if ((string?)callSite["kind"] == "Constructor" && (string?)callSite["implementationType"] is { } type && type.Contains('`'))
                {
                    types.Add(type);
                }

                foreach (var (_, value) in callSite)
                {
                    Collect(value, types);
                }

                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    Collect(item, types);
                }

                break;
        }
    }
}
