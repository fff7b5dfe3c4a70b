using Microsoft.Extensions.Logging;

namespace Appliance.Daemon;

/// <summary>
/// Writes log lines to stderr. Under systemd (JOURNAL_STREAM set) each line starts with its syslog
/// priority, <c>&lt;6&gt;</c>, so the journal keeps the level; on a terminal it starts with the time and level.
/// </summary>
internal sealed class StderrLogger(TextWriter target, LogLevel minimum) : ILogger
{
    private static readonly bool UnderJournal = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null;
    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string message = formatter(state, exception);
        if (exception is not null)
        {
            message = $"{message}: {exception.GetType().Name}: {exception.Message}";
        }

        string line = UnderJournal
            ? $"<{Priority(logLevel)}>{message}"
            : $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {Label(logLevel)} {message}";
        lock (_gate)
        {
            target.WriteLine(line);
            target.Flush();
        }
    }

    /// <summary>syslog priorities (RFC 5424 §6.2.1) as sd-daemon(3) reads them from a line prefix.</summary>
    private static int Priority(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Critical => "crit ",
        LogLevel.Error => "error",
        LogLevel.Warning => "warn ",
        LogLevel.Information => "info ",
        LogLevel.Debug => "debug",
        _ => "trace",
    };
}
