using System.Buffers;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Tests.Packets;

/// <summary>
/// Seeded random and mutated input: the reader may answer "incomplete", a packet, or an
/// <see cref="MqttProtocolException"/>, and nothing else (no index or argument exceptions), for both versions.
/// </summary>
public sealed class RandomInputTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void RandomBytesYieldAPacketIncompleteOrAProtocolExceptionOnly(MqttProtocolVersion version)
    {
        var random = new Random(5);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = new byte[random.Next(0, 64)];
            random.NextBytes(input);
            if (input.Length > 1)
            {
                input[1] = (byte)Math.Min(input[1], input.Length);
            }

            ReadSafely(input, version, segment: 1 + (i % 5));
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void MutatedValidPacketsYieldAPacketIncompleteOrAProtocolExceptionOnly(MqttProtocolVersion version)
    {
        var random = new Random(11);
        byte[][] valid = [.. SamplePackets.Names.Select(name => Codec.Encode(SamplePackets.Create(name, version), version))];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = (byte[])valid[i % valid.Length].Clone();
            int flips = 1 + random.Next(3);
            for (int f = 0; f < flips; f++)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            ReadSafely(input, version, segment: 1 + (i % 7));
        }
    }

    private static void ReadSafely(byte[] input, MqttProtocolVersion version, int segment)
    {
        try
        {
            var reader = new SequenceReader<byte>(Segments.OfSize(input, segment));
            var settings = new MqttCodecSettings(version, 1 << 16);
            while (MqttPacketReader.TryRead(ref reader, settings, out MqttPacket? packet))
            {
                Assert.NotNull(packet);
            }
        }
        catch (MqttProtocolException e)
        {
            Assert.True(e.ReasonCode >= MqttReasonCode.UnspecifiedError, $"{Convert.ToHexString(input)}: {e.ReasonCode}");
        }
    }
}
