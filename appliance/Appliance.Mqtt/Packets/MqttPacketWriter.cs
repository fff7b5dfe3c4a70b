using System.Buffers;

namespace Appliance.Mqtt.Packets;

/// <summary>
/// Writes MQTT packets: the fixed header (MQTT 5.0 §2.1.1; minimal Remaining Length, §1.5.5), then the
/// body each packet writes itself. The size is measured first, so a packet is encoded in one pass and a
/// caller can compare it with the peer's Maximum Packet Size before writing anything.
/// </summary>
internal static class MqttPacketWriter
{
    /// <summary>Bytes of the whole packet; throws if its body exceeds the 256 MB a Remaining Length can carry.</summary>
    public static int Measure(MqttPacket packet, MqttProtocolVersion version) => Measure(packet, version, out _);

    public static int Write(MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        int total = Measure(packet, version, out int body);
        Span<byte> span = output.GetSpan(total)[..total];
        WriteMeasured(packet, version, span, body);
        output.Advance(total);
        return total;
    }

    public static byte[] ToArray(MqttPacket packet, MqttProtocolVersion version)
    {
        int total = Measure(packet, version, out int body);
        byte[] bytes = new byte[total];
        WriteMeasured(packet, version, bytes, body);
        return bytes;
    }

    private static int Measure(MqttPacket packet, MqttProtocolVersion version, out int body)
    {
        body = packet.MeasureBody(version);
        if (body > MqttCodecSettings.MaxRemainingLength)
        {
            throw new ArgumentException($"a {PacketBodyReader.Describe(packet.Type)} of {body} bytes exceeds the largest MQTT packet (268,435,455 bytes)", nameof(packet));
        }

        return 1 + PacketWriter.MeasureVariableByteInteger(body) + body;
    }

    private static void WriteMeasured(MqttPacket packet, MqttProtocolVersion version, Span<byte> span, int body)
    {
        var writer = new PacketWriter(span);
        writer.WriteByte((byte)(((int)packet.Type << 4) | packet.Flags));
        writer.WriteVariableByteInteger(body);
        packet.WriteBody(ref writer, version);
        if (writer.Position != span.Length)
        {
            throw new InvalidOperationException($"{PacketBodyReader.Describe(packet.Type)}: wrote {writer.Position} bytes, measured {span.Length}");
        }
    }
}
