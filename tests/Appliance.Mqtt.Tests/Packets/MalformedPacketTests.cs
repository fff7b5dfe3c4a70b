using System.Buffers;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Tests.Packets;

public sealed class MalformedPacketTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;

    public static TheoryData<string, MqttProtocolVersion, string, MqttReasonCode> Cases() => new()
    {
        { "a fifth Remaining Length byte", V5, "30 80 80 80 80 01", MqttReasonCode.MalformedPacket },
        { "a fifth Remaining Length byte (3.1.1)", V3, "30 FF FF FF FF 7F", MqttReasonCode.MalformedPacket },
        { "a non-minimal Remaining Length", V5, "D0 80 00", MqttReasonCode.MalformedPacket },
        { "a non-minimal property length", V5, "20 04 00 00 80 00", MqttReasonCode.MalformedPacket },
        { "reserved packet type 0", V5, "00 00", MqttReasonCode.MalformedPacket },
        { "AUTH in 3.1.1", V3, "F0 00", MqttReasonCode.MalformedPacket },
        { "reserved flags on CONNACK", V5, "21 03 00 00 00", MqttReasonCode.MalformedPacket },
        { "reserved flags on PINGRESP", V3, "D8 00", MqttReasonCode.MalformedPacket },
        { "PUBREL without its 0010 flags", V5, "60 02 00 01", MqttReasonCode.MalformedPacket },
        { "SUBSCRIBE without its 0010 flags", V3, "80 06 00 01 00 01 61 00", MqttReasonCode.MalformedPacket },
        { "PUBLISH with QoS 3", V5, "36 04 00 01 61 00", MqttReasonCode.MalformedPacket },
        { "PUBLISH QoS 0 with DUP", V3, "38 03 00 01 61", MqttReasonCode.MalformedPacket },
        { "PUBLISH with a wildcard topic", V3, "30 03 00 01 23", MqttReasonCode.ProtocolError },
        { "PUBLISH with an empty topic in 3.1.1", V3, "30 02 00 00", MqttReasonCode.ProtocolError },
        { "PUBLISH with packet identifier 0", V3, "32 05 00 01 61 00 00", MqttReasonCode.MalformedPacket },
        { "a topic with an overlong encoding", V3, "30 04 00 02 C0 AF", MqttReasonCode.MalformedPacket },
        { "a topic with an encoded surrogate", V3, "30 05 00 03 ED A0 80", MqttReasonCode.MalformedPacket },
        { "a topic with U+0000", V3, "30 05 00 03 61 00 62", MqttReasonCode.MalformedPacket },
        { "a topic with a truncated sequence", V3, "30 04 00 02 61 E2", MqttReasonCode.MalformedPacket },
        { "a topic with a stray continuation byte", V3, "30 03 00 01 80", MqttReasonCode.MalformedPacket },
        { "a topic above U+10FFFF", V3, "30 06 00 04 F4 90 80 80", MqttReasonCode.MalformedPacket },
        { "a string longer than the packet", V3, "30 03 00 05 61", MqttReasonCode.MalformedPacket },
        { "CONNACK shorter than its fields", V3, "20 01 00", MqttReasonCode.MalformedPacket },
        { "CONNACK 3.1.1 with trailing bytes", V3, "20 03 00 00 00", MqttReasonCode.MalformedPacket },
        { "CONNACK with reserved acknowledge flags", V3, "20 02 02 00", MqttReasonCode.MalformedPacket },
        { "CONNACK with an undefined return code", V3, "20 02 00 06", MqttReasonCode.ProtocolError },
        { "CONNACK with an undefined reason code", V5, "20 03 00 01 00", MqttReasonCode.ProtocolError },
        { "CONNACK refusing with Session Present", V5, "20 03 01 86 00", MqttReasonCode.ProtocolError },
        { "CONNACK 5.0 without properties", V5, "20 02 00 00", MqttReasonCode.MalformedPacket },
        { "a duplicate Receive Maximum", V5, "20 09 00 00 06 21 00 0A 21 00 0A", MqttReasonCode.ProtocolError },
        { "a duplicate Reason String", V5, "40 0C 00 01 87 08 1F 00 01 61 1F 00 01 62", MqttReasonCode.ProtocolError },
        { "an unknown property identifier", V5, "20 05 00 00 02 05 00", MqttReasonCode.MalformedPacket },
        { "a property not allowed in CONNACK (Topic Alias)", V5, "20 06 00 00 03 23 00 01", MqttReasonCode.MalformedPacket },
        { "a property not allowed in PUBACK (Receive Maximum)", V5, "40 07 00 01 00 03 21 00 01", MqttReasonCode.MalformedPacket },
        { "Receive Maximum 0", V5, "20 06 00 00 03 21 00 00", MqttReasonCode.ProtocolError },
        { "Maximum QoS 2", V5, "20 05 00 00 02 24 02", MqttReasonCode.ProtocolError },
        { "Maximum Packet Size 0", V5, "20 08 00 00 05 27 00 00 00 00", MqttReasonCode.ProtocolError },
        { "a property list longer than the packet", V5, "20 05 00 00 09 24 01", MqttReasonCode.MalformedPacket },
        { "a property value cut by the property length", V5, "20 05 00 00 02 21 00", MqttReasonCode.MalformedPacket },
        { "a reason string that is not UTF-8", V5, "40 08 00 01 87 04 1F 00 01 FF", MqttReasonCode.MalformedPacket },
        { "a user property with U+0000 in its value", V5, "40 0B 00 01 00 07 26 00 01 61 00 01 00", MqttReasonCode.MalformedPacket },
        { "a duplicate subscription identifier in SUBSCRIBE", V5, "82 0B 00 01 04 0B 01 0B 02 00 01 61 00", MqttReasonCode.ProtocolError },
        { "subscription identifier 0", V5, "32 08 00 01 61 00 01 02 0B 00", MqttReasonCode.ProtocolError },
        { "PUBACK with an undefined reason code", V5, "40 03 00 01 01", MqttReasonCode.ProtocolError },
        { "PUBACK 3.1.1 with a reason code", V3, "40 03 00 01 87", MqttReasonCode.MalformedPacket },
        { "SUBACK with no reason codes", V5, "90 03 00 01 00", MqttReasonCode.ProtocolError },
        { "SUBACK with no return codes (3.1.1)", V3, "90 02 00 01", MqttReasonCode.ProtocolError },
        { "SUBACK with an undefined return code", V3, "90 03 00 01 03", MqttReasonCode.ProtocolError },
        { "UNSUBACK with no reason codes", V5, "B0 03 00 01 00", MqttReasonCode.ProtocolError },
        { "SUBSCRIBE with reserved option bits", V5, "82 07 00 01 00 00 01 61 C0", MqttReasonCode.MalformedPacket },
        { "SUBSCRIBE with Retain Handling 3", V5, "82 07 00 01 00 00 01 61 30", MqttReasonCode.ProtocolError },
        { "SUBSCRIBE with a bad filter", V5, "82 08 00 01 00 00 02 61 23 00", MqttReasonCode.ProtocolError },
        { "SUBSCRIBE with no filter", V3, "82 02 00 01", MqttReasonCode.ProtocolError },
        { "PINGRESP with a body", V5, "D0 01 00", MqttReasonCode.MalformedPacket },
        { "DISCONNECT with an undefined reason code", V5, "E0 01 05", MqttReasonCode.ProtocolError },
        { "AUTH with an undefined reason code", V5, "F0 01 01", MqttReasonCode.ProtocolError },
        { "CONNECT with the reserved flag", V5, "10 0B 00 04 4D 51 54 54 05 03 00 00 00", MqttReasonCode.MalformedPacket },
        { "CONNECT with protocol level 3", V3, "10 0A 00 04 4D 51 54 54 03 02 00 00", MqttReasonCode.UnsupportedProtocolVersion },
        { "CONNECT with will QoS but no will", V3, "10 0C 00 04 4D 51 54 54 04 0A 00 00 00 00", MqttReasonCode.MalformedPacket },
        { "CONNECT 3.1.1 with a password but no user name", V3, "10 0F 00 04 4D 51 54 54 04 42 00 00 00 00 00 01 70", MqttReasonCode.MalformedPacket },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MalformedPacketIsRejectedWithItsReasonCode(string name, MqttProtocolVersion version, string hex, MqttReasonCode expected)
    {
        MqttProtocolException error = Codec.Rejects(Codec.Hex(hex), version);

        Assert.True(expected == error.ReasonCode, $"{name}: expected {expected}, got {error.ReasonCode}: {error.Message}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MalformedPacketIsRejectedTheSameWayInOneByteSegments(string name, MqttProtocolVersion version, string hex, MqttReasonCode expected)
    {
        byte[] bytes = Codec.Hex(hex);

        MqttProtocolException error = Assert.Throws<MqttProtocolException>(() => Codec.Read(Segments.OfSize(bytes, 1), version));

        Assert.True(expected == error.ReasonCode, $"{name}: expected {expected}, got {error.ReasonCode}: {error.Message}");
    }

    [Fact]
    public void RemainingLengthClaiming256MegabytesIsRejectedBeforeTheBodyArrives()
    {
        MqttProtocolException error = Codec.Rejects(Codec.Hex("30 FF FF FF 7F"), V5, maximum: 1 << 16);

        Assert.Equal(MqttReasonCode.PacketTooLarge, error.ReasonCode);
        Assert.Contains("268435460 bytes exceeds the maximum packet size of 65536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FifthRemainingLengthByteIsRejectedWithoutWaitingForIt()
    {
        MqttProtocolException error = Codec.Rejects(Codec.Hex("30 80 80 80 80"), V3);

        Assert.Contains("fifth byte", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PacketOfExactlyTheMaximumSizeIsAccepted()
    {
        byte[] bytes = Codec.Encode(new PublishPacket { Topic = "a", Payload = new byte[100] }, V5);

        Assert.NotNull(Codec.ReadWhole(bytes, V5, maximum: bytes.Length));
        Assert.Equal(MqttReasonCode.PacketTooLarge, Codec.Rejects(bytes, V5, maximum: bytes.Length - 1).ReasonCode);
    }

    [Fact]
    public void NonMinimalRemainingLengthIsAcceptedIn311()
    {
        (MqttPacket? packet, _) = Codec.Read(new ReadOnlySequence<byte>(Codec.Hex("D0 80 00")), V3);

        Assert.IsType<PingRespPacket>(packet);
    }

    [Fact]
    public void UserPropertiesMayRepeat()
    {
        var ack = (PublishAckPacket)Codec.ReadWhole(Codec.Hex("40 12 00 01 00 0E 26 00 01 61 00 01 62 26 00 01 61 00 01 63"), V5);

        Assert.Equal([new("a", "b"), new("a", "c")], ack.Properties.UserProperties);
    }

    [Fact]
    public void WritingATopicWithALoneSurrogateIsRefused()
    {
        var packet = new PublishPacket { Topic = "a\uD800" };

        Assert.Throws<ArgumentException>(() => Codec.Encode(packet, V5));
    }
}
