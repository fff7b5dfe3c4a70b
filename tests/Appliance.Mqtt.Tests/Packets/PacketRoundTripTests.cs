using System.Buffers;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Tests.Packets;

public sealed class PacketRoundTripTests
{
    public static TheoryData<string, MqttProtocolVersion> Packets()
    {
        var data = new TheoryData<string, MqttProtocolVersion>();
        foreach (string name in SamplePackets.Names)
        {
            data.Add(name, MqttProtocolVersion.V311);
            data.Add(name, MqttProtocolVersion.V500);
        }

        data.Add("AUTH", MqttProtocolVersion.V500);
        return data;
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void EveryPacketReadWholeIsWrittenBackToTheSameBytes(string name, MqttProtocolVersion version)
    {
        byte[] bytes = Codec.Encode(Sample(name, version), version);

        MqttPacket decoded = Codec.ReadWhole(bytes, version);

        Assert.Equal(bytes, Codec.Encode(decoded, version));
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void EveryPrefixOfEveryPacketIsIncompleteAndConsumesNothing(string name, MqttProtocolVersion version)
    {
        byte[] bytes = Codec.Encode(Sample(name, version), version);

        for (int length = 0; length < bytes.Length; length++)
        {
            (MqttPacket? packet, long consumed) = Codec.Read(new ReadOnlySequence<byte>(bytes, 0, length), version);
            Assert.Null(packet);
            Assert.Equal(0, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void EveryPacketFedInOneByteSegmentsReadsTheSameAsWhole(string name, MqttProtocolVersion version)
    {
        byte[] bytes = Codec.Encode(Sample(name, version), version);

        (MqttPacket? packet, long consumed) = Codec.Read(Segments.OfSize(bytes, 1), version);

        Assert.NotNull(packet);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(bytes, Codec.Encode(packet, version));
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void EveryPacketFedOneByteAtATimeIsReadOnlyWhenItsLastByteArrives(string name, MqttProtocolVersion version)
    {
        byte[] bytes = Codec.Encode(Sample(name, version), version);

        for (int length = 1; length <= bytes.Length; length++)
        {
            (MqttPacket? packet, long consumed) = Codec.Read(Segments.OfSize(bytes[..length], 1), version);
            Assert.Equal(length == bytes.Length, packet is not null);
            Assert.Equal(length == bytes.Length ? bytes.Length : 0, consumed);
        }
    }

    [Fact]
    public void TwoPacketsInOneBufferAreReadOneAfterTheOther()
    {
        byte[] first = Codec.Encode(SamplePackets.Create("PUBLISH QoS 1", MqttProtocolVersion.V500), MqttProtocolVersion.V500);
        byte[] second = Codec.Encode(PingRespPacket.Instance, MqttProtocolVersion.V500);
        var reader = new SequenceReader<byte>(Segments.OfSize([.. first, .. second], 7));
        var settings = new MqttCodecSettings(MqttProtocolVersion.V500, Codec.Maximum);

        Assert.True(MqttPacketReader.TryRead(ref reader, settings, out MqttPacket? a));
        Assert.True(MqttPacketReader.TryRead(ref reader, settings, out MqttPacket? b));
        Assert.False(MqttPacketReader.TryRead(ref reader, settings, out _));

        Assert.IsType<PublishPacket>(a);
        Assert.IsType<PingRespPacket>(b);
        Assert.True(reader.End);
    }

    [Fact]
    public void PublishFieldsSurviveTheRoundTrip()
    {
        var sent = (PublishPacket)SamplePackets.Create("PUBLISH QoS 1", MqttProtocolVersion.V500);

        var read = (PublishPacket)Codec.ReadWhole(Codec.Encode(sent, MqttProtocolVersion.V500), MqttProtocolVersion.V500);

        Assert.Equal((sent.Dup, sent.Qos, sent.Retain, sent.Topic, sent.PacketId), (read.Dup, read.Qos, read.Retain, read.Topic, read.PacketId));
        Assert.Equal(sent.Payload.ToArray(), read.Payload.ToArray());
        Assert.Equal(sent.Properties.UserProperties, read.Properties.UserProperties);
        Assert.Equal([1, 268_435_455], read.Properties.SubscriptionIdentifiers);
        Assert.Equal("application/json", read.Properties.ContentType);
        Assert.Equal((ushort)3, read.Properties.TopicAlias);
    }

    [Fact]
    public void ConnectFieldsSurviveTheRoundTrip()
    {
        var sent = (ConnectPacket)SamplePackets.Create("CONNECT", MqttProtocolVersion.V500);

        var read = (ConnectPacket)Codec.ReadWhole(Codec.Encode(sent, MqttProtocolVersion.V500), MqttProtocolVersion.V500);

        Assert.Equal((sent.ClientId, sent.CleanStart, sent.KeepAliveSeconds, sent.UserName), (read.ClientId, read.CleanStart, read.KeepAliveSeconds, read.UserName));
        Assert.Equal(sent.Password, read.Password);
        Assert.NotNull(read.Will);
        Assert.Equal(("appliance/node-1/status", (byte)1, true), (read.Will.Topic, read.Will.Qos, read.Will.Retain));
        Assert.Equal("offline"u8.ToArray(), read.Will.Payload);
        Assert.Equal(5u, read.Will.Properties.WillDelayInterval);
        Assert.Equal(262_144u, read.Properties.MaximumPacketSize);
    }

    private static MqttPacket Sample(string name, MqttProtocolVersion version) =>
        name == "AUTH" ? SamplePackets.Auth() : SamplePackets.Create(name, version);
}
