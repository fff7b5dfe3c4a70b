using System.Buffers;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Tests.Packets;

/// <summary>Small helpers over the reader and writer for the codec tests.</summary>
internal static class Codec
{
    public const int Maximum = 1 << 20;

    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version) => MqttPacketWriter.ToArray(packet, version);

    /// <summary>Reads one packet from <paramref name="sequence"/>; returns it and how many bytes were consumed, or null.</summary>
    public static (MqttPacket? Packet, long Consumed) Read(ReadOnlySequence<byte> sequence, MqttProtocolVersion version, int maximum = Maximum)
    {
        var reader = new SequenceReader<byte>(sequence);
        var settings = new MqttCodecSettings(version, maximum);
        bool complete = MqttPacketReader.TryRead(ref reader, settings, out MqttPacket? packet);
        return (complete ? packet : null, reader.Consumed);
    }

    public static MqttPacket ReadWhole(byte[] bytes, MqttProtocolVersion version, int maximum = Maximum)
    {
        (MqttPacket? packet, long consumed) = Read(new ReadOnlySequence<byte>(bytes), version, maximum);
        Assert.NotNull(packet);
        Assert.Equal(bytes.Length, consumed);
        return packet;
    }

    public static MqttProtocolException Rejects(byte[] bytes, MqttProtocolVersion version, int maximum = Maximum) =>
        Assert.Throws<MqttProtocolException>(() => Read(new ReadOnlySequence<byte>(bytes), version, maximum));

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
}
