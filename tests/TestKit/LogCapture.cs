using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mitreden.TestKit;

/// <summary>
/// Keeps the warnings and errors a service under test logs, so a test can assert that none was logged; from EF Core's
/// saving also the debug entries, which are where a row-version conflict (retried by the bus) shows.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    public const string SavingCategory = "Microsoft.EntityFrameworkCore.Update";

    public sealed record Entry(DateTimeOffset At, string Category, LogLevel Level, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Since(DateTimeOffset at) => _entries.Where(e => e.At >= at).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= LogLevel.Warning || (logLevel >= LogLevel.Debug && category == SavingCategory);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture._entries.Enqueue(new Entry(DateTimeOffset.UtcNow, category, logLevel, formatter(state, exception), exception));
            }
        }
    }
}
