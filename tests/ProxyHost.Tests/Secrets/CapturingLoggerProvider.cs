using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.Tests.Secrets;

/// <summary>
/// Keeps every log entry at every level: the formatted message, each structured value and the exception
/// (with its inner exceptions), so a test can check that a secret appears in none of them.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    /// <summary>Everything logged, as one text to search.</summary>
    public string AllText() => string.Join("\n", _entries.Select(e => e.ToString()));

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => p.Key + "=" + p.Value).ToList()
                : [];
            entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, exception?.ToString()));
        }
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<string> Values, string? Exception)
{
    public override string ToString() =>
        $"{Level} {Category}[{EventId.Id}] {Message} | {string.Join(" | ", Values)} | {Exception}";
}
