using System.Text;
using System.Text.Json;
using Appliance.Gateway.Telemetry;

namespace Appliance.Gateway.Tests;

/// <summary>A telemetry sink that keeps every message, and numbers streams in memory, for tests.</summary>
internal sealed class CollectingSink : ITelemetrySink
{
    private readonly List<(string Topic, string Payload, bool Retain)> _messages = [];
    private readonly Dictionary<string, long> _last = [];
    private readonly Lock _gate = new();

    public long NextSequence(string stream)
    {
        lock (_gate)
        {
            return _last.GetValueOrDefault(stream) + 1;
        }
    }

    public ValueTask PublishAsync(TelemetryMessage message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _messages.Add((message.Topic, Encoding.UTF8.GetString(message.Payload.Span), message.Retain));
            if (message.Stream is string stream)
            {
                _last[stream] = message.Sequence;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The last payload published, parsed.</summary>
    public JsonElement Last()
    {
        lock (_gate)
        {
            return JsonDocument.Parse(_messages[^1].Payload).RootElement.Clone();
        }
    }

    /// <summary>The parsed payloads published on <paramref name="topic"/>, in order.</summary>
    public List<JsonElement> On(string topic)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.Topic == topic).Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone())];
        }
    }
}
