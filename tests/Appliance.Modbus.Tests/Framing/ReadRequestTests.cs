namespace Appliance.Modbus.Tests.Framing;

/// <summary>Read requests: the only ADUs the appliance ever sends (Application Protocol v1.1b3 §6.3, §6.4).</summary>
public sealed class ReadRequestTests
{
    [Theory]
    [InlineData(1, 0x03, 0, 10, 1, new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A })]
    [InlineData(0xFF, 0x04, 0x1234, 125, 0xBEEF, new byte[] { 0xBE, 0xEF, 0x00, 0x00, 0x00, 0x06, 0xFF, 0x04, 0x12, 0x34, 0x00, 0x7D })]
    [InlineData(0, 0x03, 65535, 1, 0xFFFF, new byte[] { 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x06, 0x00, 0x03, 0xFF, 0xFF, 0x00, 0x01 })]
    public void ARequestIsWrittenAsItsTwelveByteAdu(int unitId, int function, int address, int quantity, int transactionId, byte[] expected)
    {
        var request = new ReadRequest((byte)unitId, (ReadFunction)function, (ushort)address, (ushort)quantity);
        byte[] bytes = new byte[ReadRequest.AduLength];

        int written = request.Write(bytes, (ushort)transactionId);

        Assert.Equal(12, written);
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(126)]
    [InlineData(65535)]
    public void AQuantityOutsideOneTo125IsRefused(int quantity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadRequest(1, ReadFunction.ReadHoldingRegisters, 0, (ushort)quantity));
    }

    [Theory]
    [InlineData(65535, 2)]
    [InlineData(65500, 37)]
    public void RegistersPastTheLastAddressAreRefused(int address, int quantity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadRequest(1, ReadFunction.ReadInputRegisters, (ushort)address, (ushort)quantity));
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x06)]
    [InlineData(0x10)]
    public void NoFunctionButThreeAndFourCanBeSentSoThePlcIsNeverWritten(int function)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadRequest(1, (ReadFunction)function, 0, 1));
    }

    [Fact]
    public void ADefaultRequestCannotBeWritten()
    {
        Assert.Throws<InvalidOperationException>(() => default(ReadRequest).Write(new byte[12], 1));
    }

    [Fact]
    public void ABufferShorterThanTwelveBytesIsRefused()
    {
        var request = new ReadRequest(1, ReadFunction.ReadHoldingRegisters, 0, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => request.Write(new byte[11], 1));
    }
}
