using System.Text.Json;
using Appliance.Mqtt.Tests.Support;
using Appliance.Testing;

namespace Appliance.Mqtt.Tests.Client;

/// <summary>The health message: the client's counters, then what its owner adds (the gateway: its voting lanes).</summary>
public sealed class HealthMessageTests
{
    [Fact]
    public async Task TheOwnersDetailsFollowTheClientsCounters()
    {
        await using var client = new MqttClient(TestClient.Options(1, MqttProtocolVersion.V500, new ManualTimeProvider(), healthDetails: json =>
        {
            json.WriteStartArray("lanes");
            json.WriteStartObject();
            json.WriteString("lane", "wasmtime:modbus-parser");
            json.WriteNumber("frames", 12);
            json.WriteEndObject();
            json.WriteEndArray();
        }));

        using JsonDocument health = JsonDocument.Parse(client.HealthReport());

        string[] properties = [.. health.RootElement.EnumerateObject().Select(property => property.Name)];
        Assert.Equal(["status", "queued", "dropped", "published", "refused", "in_flight", "reconnects", "last_error", "last_error_at", "lanes"], properties);
        JsonElement lane = Assert.Single(health.RootElement.GetProperty("lanes").EnumerateArray());
        Assert.Equal(("wasmtime:modbus-parser", 12), (lane.GetProperty("lane").GetString(), lane.GetProperty("frames").GetInt32()));
    }

    [Fact]
    public async Task DetailsThatFailHalfWrittenAreLeftOutAndTheMessageStaysValid()
    {
        await using var client = new MqttClient(TestClient.Options(1, MqttProtocolVersion.V500, new ManualTimeProvider(), healthDetails: json =>
        {
            json.WriteStartArray("lanes");
            json.WriteStartObject();
            throw new InvalidOperationException("the owner's counters are gone");
        }));

        using JsonDocument health = JsonDocument.Parse(client.HealthReport());

        Assert.False(health.RootElement.TryGetProperty("lanes", out _));
        Assert.Equal("offline", health.RootElement.GetProperty("status").GetString());
    }
}
