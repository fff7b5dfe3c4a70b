using System.Buffers;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Tests.Packets;

public sealed class PacketBytesTests
{
    // MQTT 5.0 §1.5.5 Table 1-1 (3.1.1 §2.2.3 Table 2.4): the size limits of each Variable Byte Integer length.
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "80 01")]
    [InlineData(16_383, "FF 7F")]
    [InlineData(16_384, "80 80 01")]
    [InlineData(2_097_151, "FF FF 7F")]
    [InlineData(2_097_152, "80 80 80 01")]
    [InlineData(268_435_455, "FF FF FF 7F")]
    public void RemainingLengthIsEncodedAsInTheSpecTable(int value, string hex)
    {
        byte[] expected = Codec.Hex(hex);
        byte[] written = new byte[4];
        var writer = new PacketWriter(written);
        writer.WriteVariableByteInteger(value);

        Assert.Equal(expected, written[..writer.Position]);
        Assert.Equal(expected.Length, PacketWriter.MeasureVariableByteInteger(value));

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([0x30, .. expected]));
        Assert.True(MqttPacketReader.TryReadFixedHeader(ref reader, new MqttCodecSettings(MqttProtocolVersion.V500, int.MaxValue), out FixedHeader header));
        Assert.Equal(value, header.RemainingLength);
        Assert.Equal(1 + expected.Length, header.HeaderLength);
    }

    public static TheoryData<string, MqttProtocolVersion, string> Examples() => new()
    {
        // MQTT 5.0 §1.5.4 Figure 1-1 (3.1.1 §1.5.3 Figure 1.3): "A𪛔" is 00 05 41 F0 AA 9B 94.
        { "PUBLISH to A\U0002A6D4", MqttProtocolVersion.V311, "30 07 00 05 41 F0 AA 9B 94" },

        // 3.1.1 §3.1.2, the variable header non-normative example: protocol name, level 4, flags CE, keep alive 10; then client id "", will, user, password.
        { "CONNECT 3.1.1 example", MqttProtocolVersion.V311, "10 18 00 04 4D 51 54 54 04 CE 00 0A 00 00 00 01 77 00 01 6F 00 01 75 00 01 70" },

        // MQTT 5.0 §3.1.2.12, the variable header non-normative example: level 5, flags C2, keep alive 10, properties: Session Expiry Interval 10.
        { "CONNECT 5.0 example", MqttProtocolVersion.V500, "10 18 00 04 4D 51 54 54 05 C2 00 0A 05 11 00 00 00 0A 00 00 00 01 75 00 01 70" },

        // 3.1.1 §3.8.2 and §3.8.3, the non-normative examples: packet identifier 10, "a/b" QoS 1, "c/d" QoS 2.
        { "SUBSCRIBE 3.1.1 example", MqttProtocolVersion.V311, "82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 02" },

        // 3.1.1 §3.9.3, the payload non-normative example: Success QoS 0, Success QoS 2, Failure.
        { "SUBACK 3.1.1 example", MqttProtocolVersion.V311, "90 05 00 0A 00 02 80" },
        { "PINGREQ", MqttProtocolVersion.V500, "C0 00" },
        { "PINGRESP", MqttProtocolVersion.V311, "D0 00" },
        { "DISCONNECT normal", MqttProtocolVersion.V500, "E0 00" },

        // MQTT 5.0 §3.4.2.1: Reason Code 0x00 and no properties may be omitted; 0x87 may stand alone.
        { "PUBACK success", MqttProtocolVersion.V500, "40 02 00 01" },
        { "PUBACK not authorized", MqttProtocolVersion.V500, "40 03 00 01 87" },
        { "PUBREL", MqttProtocolVersion.V311, "62 02 00 01" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void SpecExamplesAreWrittenAndReadByteForByte(string name, MqttProtocolVersion version, string hex)
    {
        byte[] expected = Codec.Hex(hex);
        MqttPacket packet = Example(name);

        Assert.Equal(expected, Codec.Encode(packet, version));
        Assert.Equal(expected, Codec.Encode(Codec.ReadWhole(expected, version), version));
    }

    private static MqttPacket Example(string name) => name switch
    {
        "PUBLISH to A\U0002A6D4" => new PublishPacket { Topic = "A\U0002A6D4" },
        "CONNECT 3.1.1 example" => new ConnectPacket
        {
            ProtocolVersion = MqttProtocolVersion.V311,
            ClientId = string.Empty,
            KeepAliveSeconds = 10,
            Will = new MqttWill { Topic = "w", Payload = "o"u8.ToArray(), Qos = 1 },
            UserName = "u",
            Password = "p"u8.ToArray(),
        },
        "CONNECT 5.0 example" => new ConnectPacket
        {
            ClientId = string.Empty,
            KeepAliveSeconds = 10,
            UserName = "u",
            Password = "p"u8.ToArray(),
            Properties = new MqttProperties { SessionExpiryInterval = 10 },
        },
        "SUBSCRIBE 3.1.1 example" => new SubscribePacket { PacketId = 10, Subscriptions = [new("a/b", 1), new("c/d", 2)] },
        "SUBACK 3.1.1 example" => new SubAckPacket { PacketId = 10, ReasonCodes = [0x00, 0x02, 0x80] },
        "PINGREQ" => PingReqPacket.Instance,
        "PINGRESP" => PingRespPacket.Instance,
        "DISCONNECT normal" => new DisconnectPacket(),
        "PUBACK success" => new PublishAckPacket { PacketId = 1 },
        "PUBACK not authorized" => new PublishAckPacket { PacketId = 1, ReasonCode = 0x87 },
        "PUBREL" => new PublishAckPacket { Kind = MqttPacketType.PubRel, PacketId = 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
