using System.Text;

namespace Appliance.Gateway.Telemetry;

/// <summary>Writes each message to standard output as one line, <c>TOPIC PAYLOAD</c>: telemetry without a broker.</summary>
public sealed class ConsoleSink(TextWriter output) : ITelemetrySink
{
    private readonly Lock _gate = new();

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        string line = topic + " " + Encoding.UTF8.GetString(payload.Span);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }

        return ValueTask.CompletedTask;
    }
}
