using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FingerprintProxy.Tests.Infrastructure;

/// <summary>Captures every log line the host writes (formatted message and exception text), to assert what is never logged.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Text)> _entries = new();

    public IReadOnlyCollection<(string Category, LogLevel Level, EventId EventId, string Text)> Entries => _entries;

    public string AllText => string.Join('\n', _entries.Select(e => $"{e.Category} {e.EventId.Id} {e.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, EventId, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((category, logLevel, eventId, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}
