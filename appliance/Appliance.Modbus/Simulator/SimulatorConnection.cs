using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Appliance.Modbus.Simulator;

/// <summary>One client of the simulator: reads requests one after another and answers each, or attacks.</summary>
internal sealed partial class SimulatorConnection
{
    // Modbus Application Protocol v1.1b3 §6.3 / §6.4, in an MBAP ADU (Implementation Guide v1.0b §3.1.3):
    //
    //  request PDU  +------+----------+----------+      reply PDU  +------+-------+-------------------+
    //               | 0x03 | starting | quantity |                 | 0x03 | byte  | register values   |
    //               | 0x04 | address  | 1..125   |                 | 0x04 | count | 2 × quantity bytes|
    //               +------+----------+----------+                 +------+-------+-------------------+
    //                 1      2          2                            1      1       N
    //
    //  exception    +-------------+-----------+   §7: function code with the high bit set, then the code.
    //               | fc | 0x80   | exception |
    //               +-------------+-----------+
    private const int FunctionOffset = MbapHeader.Size;
    private const int ByteCountOffset = MbapHeader.Size + 1;
    private const int DataOffset = MbapHeader.Size + 2;
    private const int ExceptionCodeOffset = MbapHeader.Size + 1;
    private const int ExceptionAduLength = MbapHeader.Size + 2;
    private const int BufferSize = 1024;

    private const byte IllegalFunction = 0x01;
    private const byte IllegalDataAddress = 0x02;
    private const byte IllegalDataValue = 0x03;

    private readonly PlcSimulator _simulator;
    private readonly Socket _socket;
    private readonly long _id;
    private readonly ILogger _logger;
    private readonly byte[] _request = new byte[MbapHeader.MaxAduLength];
    private readonly byte[] _reply = new byte[BufferSize];
    private readonly byte[] _extra = new byte[BufferSize];
    private ushort? _previousTransactionId;

    public SimulatorConnection(PlcSimulator simulator, Socket socket, long id, ILogger logger)
    {
        _simulator = simulator;
        _socket = socket;
        _id = id;
        _logger = logger;
    }

    /// <summary>Ends when the client goes, the simulator stops, or an attack closed the connection.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(Action onEnd, CancellationToken stop) => Completion = RunAsync(onEnd, stop);

    public void Close() => _socket.Dispose();

    private async Task RunAsync(Action onEnd, CancellationToken stop)
    {
        try
        {
            await ServeAsync(stop).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // the client went away, or the simulator is stopping
        }
        finally
        {
            _socket.Dispose();
            onEnd();
            Log.Ended(_logger, _id);
        }
    }

    private async Task ServeAsync(CancellationToken stop)
    {
        while (true)
        {
            if (!await ReceiveExactlyAsync(_request.AsMemory(0, MbapHeader.Size), stop).ConfigureAwait(false))
            {
                return;
            }

            MbapHeader header;
            try
            {
                MbapHeader.TryRead(_request, out header);
            }
            catch (MbapFramingException framing)
            {
                Log.BadRequest(_logger, _id, framing.Message);
                return;
            }

            if (header.ProtocolId != 0)
            {
                Log.NotModbus(_logger, _id, header.ProtocolId);
                return;
            }

            if (!await ReceiveExactlyAsync(_request.AsMemory(MbapHeader.Size, header.BodyLength), stop).ConfigureAwait(false))
            {
                return;
            }

            long step = _simulator.CurrentStep;
            SimulatorExchange exchange = Answer(header, _request.AsSpan(MbapHeader.Size, header.BodyLength), step, out int length);
            AttackKind? attack = exchange.ExceptionCode == 0 ? _simulator.ChooseAttack() : null;
            exchange = exchange with { Attack = attack };
            _simulator.Record(exchange);
            bool keepOpen = true;
            if (attack is { } kind)
            {
                Log.Attack(_logger, _id, header.TransactionId, kind);
                keepOpen = await SendAttackAsync(kind, exchange, length, stop).ConfigureAwait(false);
            }
            else
            {
                await SendAsync(_reply.AsMemory(0, length), stop).ConfigureAwait(false);
            }

            _previousTransactionId = header.TransactionId;
            if (!keepOpen)
            {
                return;
            }
        }
    }

    /// <summary>Writes the valid reply to <paramref name="pdu"/> into the reply buffer; returns what was asked and answered.</summary>
    private SimulatorExchange Answer(MbapHeader header, ReadOnlySpan<byte> pdu, long step, out int length)
    {
        byte function = pdu[0];
        ushort address = 0;
        ushort quantity = 0;
        byte exception = 0;
        if (function is not ((byte)ReadFunction.ReadHoldingRegisters or (byte)ReadFunction.ReadInputRegisters))
        {
            exception = IllegalFunction;
        }
        else if (pdu.Length != 5)
        {
            exception = IllegalDataValue;
        }
        else
        {
            address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
            quantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
            if (quantity is 0 or > ReadRequest.MaxQuantity)
            {
                exception = IllegalDataValue;
            }
            else if (address + quantity > ReadRequest.AddressSpace)
            {
                exception = IllegalDataAddress;
            }
        }

        length = exception != 0
            ? WriteException(_reply, header.TransactionId, header.UnitId, function, exception)
            : WriteRegisters(_reply, header.TransactionId, header.UnitId, function, address, quantity, step);
        return new SimulatorExchange(_id, header.TransactionId, header.UnitId, function, address, quantity, step, exception, null);
    }

    private int WriteRegisters(Span<byte> destination, ushort transactionId, byte unitId, byte function, ushort address, ushort quantity, long step)
    {
        int byteCount = quantity * 2;
        new MbapHeader(transactionId, 0, (ushort)(3 + byteCount), unitId).Write(destination);
        destination[FunctionOffset] = function;
        destination[ByteCountOffset] = (byte)byteCount;
        ReadFunction area = function == (byte)ReadFunction.ReadInputRegisters ? ReadFunction.ReadInputRegisters : ReadFunction.ReadHoldingRegisters;
        _simulator.Map.Read(area, address, quantity, step, destination.Slice(DataOffset, byteCount));
        return DataOffset + byteCount;
    }

    private static int WriteException(Span<byte> destination, ushort transactionId, byte unitId, byte function, byte code)
    {
        new MbapHeader(transactionId, 0, 3, unitId).Write(destination);
        destination[FunctionOffset] = (byte)(function | 0x80);
        destination[ExceptionCodeOffset] = code;
        return ExceptionAduLength;
    }

    private async ValueTask<bool> ReceiveExactlyAsync(Memory<byte> buffer, CancellationToken stop)
    {
        while (buffer.Length > 0)
        {
            int read = await _socket.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
        }

        return true;
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken stop)
    {
        while (bytes.Length > 0)
        {
            int sent = await _socket.SendAsync(bytes, SocketFlags.None, stop).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }
}
