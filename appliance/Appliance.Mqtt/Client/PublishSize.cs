using System.Text;

namespace Appliance.Mqtt.Client;

/// <summary>
/// The size of the PUBLISH MQTTnet will write for a publication (MQTT 5.0 §3.3), to hold it against the broker's
/// Maximum Packet Size before it is sent:
/// <code>
///   fixed header       1 byte + Remaining Length (Variable Byte Integer, 1 to 4 bytes)
///   Topic Name         2 + UTF-8 bytes
///   Packet Identifier  2 (QoS 1)
///   properties         5.0: Property Length + one User Property (0x26, name, value) per pair
///   payload
/// </code>
/// </summary>
internal static class PublishSize
{
    public static long Measure(OutgoingPublish publish, IReadOnlyList<MqttUserProperty> userProperties, bool v5)
    {
        long remaining = 2 + Encoding.UTF8.GetByteCount(publish.Topic) + (publish.Qos == MqttQos.AtLeastOnce ? 2 : 0) + publish.Payload.Length;
        if (v5)
        {
            long properties = 0;
            foreach (MqttUserProperty property in userProperties)
            {
                properties += 1 + 2 + Encoding.UTF8.GetByteCount(property.Name) + 2 + Encoding.UTF8.GetByteCount(property.Value);
            }

            remaining += VariableByteIntegerLength(properties) + properties;
        }

        return 1 + VariableByteIntegerLength(remaining) + remaining;
    }

    private static int VariableByteIntegerLength(long value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };
}
