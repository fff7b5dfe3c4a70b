using System.Text;

namespace Appliance.Gateway.Telemetry;

/// <summary>
/// Writes each message to standard output as one line, <c>TOPIC PAYLOAD</c>: telemetry without a broker. Sequence
/// numbers are kept in memory, so they start at 1 again after a restart.
/// </summary>
public sealed class ConsoleSink(TextWriter output) : ITelemetrySink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);

    public long NextSequence(string stream)
    {
        lock (_gate)
        {
            return _last.GetValueOrDefault(stream) + 1;
        }
    }

    public ValueTask PublishAsync(TelemetryMessage message, CancellationToken cancellationToken)
    {
        string line = message.Topic + " " + Encoding.UTF8.GetString(message.Payload.Span);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
            if (message.Stream is string stream)
            {
                _last[stream] = Math.Max(_last.GetValueOrDefault(stream), message.Sequence);
            }
        }

        return ValueTask.CompletedTask;
    }
}
