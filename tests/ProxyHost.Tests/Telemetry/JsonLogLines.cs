using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Tests.Telemetry;

/// <summary>
/// Turns what a host logged into the lines its console logger would write, with the host's own formatter
/// and options (the tests' hosts log to a <see cref="FakeLogCollector"/> instead of the console).
/// </summary>
public sealed class JsonLogLines
{
    private readonly ConsoleFormatter _formatter;

    private JsonLogLines(ConsoleFormatter formatter) => _formatter = formatter;

    public static string FormatterName(IServiceProvider services) =>
        services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple;

    /// <summary>The host's console formatter (taken while the host runs; it formats after the host has stopped).</summary>
    public static JsonLogLines Of(IServiceProvider services)
    {
        var name = FormatterName(services);
        return new(services.GetServices<ConsoleFormatter>().Single(f => f.Name == name));
    }

    public string Format(FakeLogRecord record)
    {
        var formatter = _formatter;
        IReadOnlyList<KeyValuePair<string, object?>> state = [.. record.StructuredState!.Select(kv => new KeyValuePair<string, object?>(kv.Key, kv.Value))];
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(
            record.Level, record.Category!, record.Id, state, record.Exception, (_, _) => record.Message), scopeProvider: null, writer);
        return writer.ToString();
    }

    /// <summary>The record as the parsed JSON object of its one line.</summary>
    public JsonObject Parse(FakeLogRecord record)
    {
        var text = Format(record);
        Assert.EndsWith(Environment.NewLine, text);
        Assert.DoesNotContain('\n', text.TrimEnd());
        return JsonNode.Parse(text)!.AsObject();
    }
}
