using System.Buffers;
using System.Text.Json;

namespace Appliance.Mqtt;

/// <summary>
/// The health message: retained JSON on <see cref="MqttClientOptions.HealthTopic"/>, published after every
/// connect and every <see cref="MqttClientOptions.HealthInterval"/>:
/// <code>
/// {"status":"online","queued":0,"dropped":0,"published":1200,"refused":0,"in_flight":3,"reconnects":2,"last_error":"ConnectionLost: ...","last_error_at":"2025-..."}
/// </code>
/// <c>queued</c> and <c>dropped</c> come from the spool (<see cref="MqttClientOptions.SpoolCounters"/>); without one, <c>queued</c> is the client's own queue.
/// <see cref="MqttClientOptions.HealthDetails"/> adds properties after these.
/// </summary>
public sealed partial class MqttClient
{
    /// <summary>The health message as it would be published now.</summary>
    public byte[] HealthReport()
    {
        MqttClientStatus status = Status;
        MqttSpoolCounters spool = new(status.Queued + status.InFlight, 0);
        try
        {
            spool = _options.SpoolCounters?.Invoke() ?? spool;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.SpoolCountersFailed(_logger, e);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", status.IsConnected ? MqttClientOptions.OnlinePayload : MqttClientOptions.OfflinePayload);
            json.WriteNumber("queued", spool.Queued);
            json.WriteNumber("dropped", spool.Dropped);
            json.WriteNumber("published", status.Published);
            json.WriteNumber("refused", status.Refused);
            json.WriteNumber("in_flight", status.InFlight);
            json.WriteNumber("reconnects", status.Reconnects);
            if (status.LastError is { } error)
            {
                json.WriteString("last_error", error.ToString());
                json.WriteString("last_error_at", error.At);
            }
            else
            {
                json.WriteNull("last_error");
                json.WriteNull("last_error_at");
            }

            WriteDetails(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The caller's properties, whole or not at all: a failure is logged and leaves the message valid.</summary>
    private void WriteDetails(Utf8JsonWriter json)
    {
        if (_options.HealthDetails is not { } details)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            using (var detail = new Utf8JsonWriter(buffer))
            {
                detail.WriteStartObject();
                details(detail);
                detail.WriteEndObject();
            }

            using JsonDocument written = JsonDocument.Parse(buffer.WrittenMemory);
            foreach (JsonProperty property in written.RootElement.EnumerateObject())
            {
                property.WriteTo(json);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.HealthDetailsFailed(_logger, e);
        }
    }

    internal void EnqueueHealth()
    {
        if (_options.HealthInterval is not null)
        {
            EnqueueInternal(_options.HealthTopic, HealthReport(), MqttQos.AtMostOnce);
        }
    }
}
