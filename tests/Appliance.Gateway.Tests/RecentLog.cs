using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Tests;

/// <summary>A logger that keeps the last lines in memory, so a failing test can show what led up to the failure.</summary>
internal sealed class RecentLog : ILogger
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)}");
            while (_lines.Count > 40)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join("\n", _lines);
        }
    }
}
