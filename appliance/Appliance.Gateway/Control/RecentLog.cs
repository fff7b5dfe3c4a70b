using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Control;

/// <summary>
/// A logger in front of the daemon's own that also keeps the last <see cref="Capacity"/> lines in memory, for the
/// control channel's <c>log</c> operation (the console's Log screen). Each line is cut at <see cref="MaxLineLength"/>
/// characters, so the ring holds at most Capacity × MaxLineLength characters whatever is logged.
/// </summary>
public sealed class RecentLog(ILogger inner, int capacity = RecentLog.DefaultCapacity) : ILogger
{
    public const int DefaultCapacity = 500;
    public const int MaxLineLength = 400;

    private readonly Lock _gate = new();
    private readonly LogLine[] _ring = new LogLine[Math.Max(1, capacity)];
    private long _written;

    public int Capacity => _ring.Length;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        inner.Log(logLevel, eventId, state, exception, formatter);
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        string text = formatter(state, exception);
        if (exception is not null)
        {
            text = $"{text}: {exception.GetType().Name}: {exception.Message}";
        }

        if (text.Length > MaxLineLength)
        {
            text = text[..MaxLineLength];
        }

        lock (_gate)
        {
            _ring[_written % _ring.Length] = new LogLine(DateTimeOffset.UtcNow, logLevel, text);
            _written++;
        }
    }

    /// <summary>The last <paramref name="count"/> lines (at most <see cref="Capacity"/>), oldest first.</summary>
    public IReadOnlyList<LogLine> Last(int count)
    {
        lock (_gate)
        {
            int available = (int)Math.Min(_written, _ring.Length);
            int take = Math.Clamp(count, 0, available);
            var lines = new LogLine[take];
            for (int i = 0; i < take; i++)
            {
                lines[i] = _ring[(_written - take + i) % _ring.Length];
            }

            return lines;
        }
    }
}

/// <summary>One line of <see cref="RecentLog"/>.</summary>
public readonly record struct LogLine(DateTimeOffset At, LogLevel Level, string Text);
