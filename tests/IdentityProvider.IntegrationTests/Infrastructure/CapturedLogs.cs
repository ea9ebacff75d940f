using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>Every log entry a provider writes, for tests of what an admin finds in the log.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(string Category, LogLevel Level, string Message);

    public IReadOnlyCollection<Entry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(_entries, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<Entry> entries, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, formatter(state, exception)));
    }
}
