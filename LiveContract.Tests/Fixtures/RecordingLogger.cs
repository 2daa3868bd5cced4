using Microsoft.Extensions.Logging;

namespace LiveContract.Tests.Fixtures;

/// <summary>A logger (and logger provider) that keeps every message it is given, with its level, category and exception.</summary>
public sealed class RecordingLogger : ILogger, ILoggerProvider
{
    private readonly List<LogRecord> records = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. Records.Select(r => (r.Level, r.Message))];

    /// <summary>Every entry so far, in order.</summary>
    public IReadOnlyList<LogRecord> Records
    {
        get
        {
            lock (records)
            {
                return [.. records];
            }
        }
    }

    public IEnumerable<string> Messages(LogLevel level) => Entries.Where(e => e.Level == level).Select(e => e.Message);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Add(new LogRecord(logLevel, "", formatter(state, exception), exception));

    public ILogger CreateLogger(string categoryName) => new CategoryLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogRecord record)
    {
        lock (records)
        {
            records.Add(record);
        }
    }

    private sealed class CategoryLogger(RecordingLogger owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogRecord(logLevel, category, formatter(state, exception), exception));
    }
}

/// <summary>One log entry as the logger got it.</summary>
public sealed record LogRecord(LogLevel Level, string Category, string Message, Exception? Exception);
