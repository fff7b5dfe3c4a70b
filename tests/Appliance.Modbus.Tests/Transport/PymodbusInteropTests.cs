using Appliance.Modbus.Tests.Support;

namespace Appliance.Modbus.Tests.Transport;

/// <summary>
/// The transport against a real, third-party Modbus TCP server: pymodbus 3.0 (see
/// <c>peers/pymodbus_server.py</c> for its registers and its one-off addressing). The exact reply
/// bytes are checked, for both read functions and for an exception.
/// </summary>
public sealed class PymodbusInteropTests : IDisposable
{
    private readonly PymodbusServer _server = PymodbusServer.Start();
    private readonly byte[] _response = new byte[MbapHeader.MaxAduLength];

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ReadingHoldingRegistersReturnsPymodbusReplyByteForByte()
    {
        using ModbusTransport transport = Transport(_server.Port);

        TransactionResult result = await transport.TransactAsync(new ReadRequest(1, ReadFunction.ReadHoldingRegisters, 0, 4), _response);

        Assert.Equal(TransactionStatus.Ok, result.Status);
        Assert.Equal(
            new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x0B, 0x01, 0x03, 0x08, 0x12, 0x34, 0xAB, 0xCD, 0x00, 0x00, 0xFF, 0xFF },
            _response[..result.ResponseLength]);
    }

    [Fact]
    public async Task ReadingInputRegistersReturnsPymodbusReplyByteForByte()
    {
        using ModbusTransport transport = Transport(_server.Port);

        TransactionResult result = await transport.TransactAsync(new ReadRequest(7, ReadFunction.ReadInputRegisters, 1, 3), _response);

        Assert.Equal(TransactionStatus.Ok, result.Status);
        Assert.Equal(
            new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 0x07, 0x04, 0x06, 0x2B, 0x00, 0xBE, 0xEF, 0x00, 0x01 },
            _response[..result.ResponseLength]);
    }

    [Fact]
    public async Task ReadingPastTheRegistersReturnsPymodbusExceptionTwoUnjudged()
    {
        using ModbusTransport transport = Transport(_server.Port);

        TransactionResult result = await transport.TransactAsync(new ReadRequest(1, ReadFunction.ReadHoldingRegisters, 8, 3), _response);

        Assert.Equal(TransactionStatus.Ok, result.Status);
        Assert.Equal(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x83, 0x02 }, _response[..result.ResponseLength]);
    }

    [Fact]
    public async Task ManyTransactionsOnOneConnectionEachGetTheirOwnTransactionIdAndReply()
    {
        using ModbusTransport transport = Transport(_server.Port);

        for (int i = 0; i < 50; i++)
        {
            ushort address = (ushort)(i % 10);
            TransactionResult result = await transport.TransactAsync(new ReadRequest(1, ReadFunction.ReadHoldingRegisters, address, 1), _response);

            Assert.Equal(TransactionStatus.Ok, result.Status);
            Assert.Equal(i + 1, result.TransactionId);
            Assert.Equal(Frames.Registers((ushort)(i + 1), 1, 0x03, HoldingValue(address)), _response[..result.ResponseLength]);
        }

        Assert.Equal((1, 50, 0), (transport.Statistics.Connects, transport.Statistics.Ok, transport.Statistics.StaleReplies));
    }

    [Fact]
    public async Task PymodbusDefaultOneOffAddressingServesTheSameRegistersFromBlocksThatStartAtOne()
    {
        using PymodbusServer oneOff = PymodbusServer.Start(oneOff: true);
        using ModbusTransport transport = Transport(oneOff.Port);

        TransactionResult result = await transport.TransactAsync(new ReadRequest(1, ReadFunction.ReadHoldingRegisters, 0, 2), _response);

        Assert.Equal(TransactionStatus.Ok, result.Status);
        Assert.Equal(Frames.Registers(1, 1, 0x03, 0x1234, 0xABCD), _response[..result.ResponseLength]);
    }

    private static ushort HoldingValue(int address) =>
        new ushort[] { 0x1234, 0xABCD, 0x0000, 0xFFFF, 0x8000, 0x7FFF, 0x0102, 0x0304, 0x0506, 0x0708 }[address];

    private static ModbusTransport Transport(int port) =>
        new(new ModbusTransportOptions("pymodbus", "127.0.0.1", port, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5),
            new BackoffOptions(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0.2)));
}
