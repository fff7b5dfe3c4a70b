namespace Appliance.Modbus.Tests.Framing;

/// <summary>The MBAP header: the one thing the host reads in a reply (Implementation Guide v1.0b §3.1.3).</summary>
public sealed class MbapHeaderTests
{
    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01 }, 1, 0, 6, 1)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0x12, 0x34, 0x00, 0x02, 0xFF }, 0xFFFF, 0x1234, 2, 0xFF)]
    [InlineData(new byte[] { 0xAB, 0xCD, 0x00, 0x00, 0x00, 0xFE, 0x00 }, 0xABCD, 0, 254, 0)]
    public void AHeaderIsReadFieldByFieldBigEndian(byte[] bytes, int transactionId, int protocolId, int length, int unitId)
    {
        Assert.True(MbapHeader.TryRead(bytes, out MbapHeader header));

        Assert.Equal(new MbapHeader((ushort)transactionId, (ushort)protocolId, (ushort)length, (byte)unitId), header);
        Assert.Equal(6 + length, header.AduLength);
        Assert.Equal(length - 1, header.BodyLength);
    }

    [Fact]
    public void EveryPrefixShorterThanSevenBytesIsIncompleteAndReadsNothing()
    {
        byte[] bytes = [0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01];
        for (int length = 0; length < MbapHeader.Size; length++)
        {
            Assert.False(MbapHeader.TryRead(bytes.AsSpan(0, length), out MbapHeader header));
            Assert.Equal(default, header);
        }
    }

    [Fact]
    public void BytesAfterTheHeaderAreNotLookedAt()
    {
        byte[] bytes = [0x00, 0x07, 0x00, 0x00, 0x00, 0x05, 0x01, 0xDE, 0xAD, 0xBE, 0xEF];

        Assert.True(MbapHeader.TryRead(bytes, out MbapHeader header));

        Assert.Equal(new MbapHeader(7, 0, 5, 1), header);
    }

    [Theory]
    [InlineData(0, MbapFramingError.LengthBelowMinimum)]
    [InlineData(1, MbapFramingError.LengthBelowMinimum)]
    [InlineData(255, MbapFramingError.LengthAboveMaximum)]
    [InlineData(256, MbapFramingError.LengthAboveMaximum)]
    [InlineData(0xFFFF, MbapFramingError.LengthAboveMaximum)]
    public void ALengthFieldOutsideTwoTo254LosesFramingAndIsRejectedWithItsReason(int length, MbapFramingError expected)
    {
        byte[] bytes = [0x00, 0x01, 0x00, 0x00, (byte)(length >> 8), (byte)length, 0x01];

        MbapFramingException error = Assert.Throws<MbapFramingException>(() => MbapHeader.TryRead(bytes, out _));

        Assert.Equal(expected, error.Error);
        Assert.Equal(length, error.LengthField);
        Assert.Contains($"MBAP length field {length}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLargestAduIs260BytesWhichIsALengthFieldOf254()
    {
        Assert.Equal(260, MbapHeader.MaxAduLength);
        Assert.Equal(254, MbapHeader.MaxLengthField);
        Assert.Equal(2, MbapHeader.MinLengthField);
    }

    [Fact]
    public void TheWriterWritesEveryFieldAndReadingItBackGivesTheSameHeader()
    {
        var header = new MbapHeader(0x1234, 0x5678, 0x00FE, 0x9A);
        byte[] bytes = new byte[MbapHeader.Size];

        header.Write(bytes);

        Assert.Equal(new byte[] { 0x12, 0x34, 0x56, 0x78, 0x00, 0xFE, 0x9A }, bytes);
        Assert.True(MbapHeader.TryRead(bytes, out MbapHeader back));
        Assert.Equal(header, back);
    }

    [Fact]
    public void TheWriterWritesALyingLengthAsItIsForTheSimulator()
    {
        byte[] bytes = new byte[MbapHeader.Size];

        new MbapHeader(1, 0, 0xFFFF, 1).Write(bytes);

        Assert.Equal(new byte[] { 0x00, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x01 }, bytes);
    }

    /// <summary>The header's fuzz property: any seven bytes give a header of length 2..254 or the framing exception, nothing else.</summary>
    [Fact]
    public void AnySevenBytesGiveAFramableHeaderOrTheFramingExceptionAndNothingElse()
    {
        var random = new Random(7);
        byte[] bytes = new byte[MbapHeader.Size];
        for (int i = 0; i < 200_000; i++)
        {
            random.NextBytes(bytes);
            if (i < 65_536)
            {
                bytes[4] = (byte)(i >> 8);
                bytes[5] = (byte)i;
            }

            int length = (bytes[4] << 8) | bytes[5];
            try
            {
                Assert.True(MbapHeader.TryRead(bytes, out MbapHeader header));
                Assert.InRange(header.AduLength, 8, MbapHeader.MaxAduLength);
                Assert.Equal(length, header.Length);
            }
            catch (MbapFramingException error)
            {
                Assert.True(length is < 2 or > 254, $"length {length} was refused");
                Assert.Equal(length, error.LengthField);
            }
        }
    }
}
