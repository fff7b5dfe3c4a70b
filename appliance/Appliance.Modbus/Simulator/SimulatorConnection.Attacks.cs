using System.Buffers.Binary;

namespace Appliance.Modbus.Simulator;

/// <summary>The attack replies (see <see cref="AttackKind"/> for each one and what a gateway must do).</summary>
internal sealed partial class SimulatorConnection
{
    private static readonly byte[] DefinedExceptionCodes = [1, 2, 3, 4, 5, 6, 8, 10, 11]; // Application Protocol v1.1b3 §7
    private static readonly byte[] UndefinedExceptionCodes = [0, 7, 9, 12, 0x2B, 0x80, 0xFF];

    /// <summary>
    /// Sends <paramref name="kind"/> in place of the valid reply of <paramref name="validLength"/> bytes in
    /// the reply buffer; returns false when the connection must be closed afterwards.
    /// </summary>
    private async ValueTask<bool> SendAttackAsync(AttackKind kind, SimulatorExchange exchange, int validLength, CancellationToken stop)
    {
        Memory<byte> valid = _reply.AsMemory(0, validLength);
        ushort transactionId = exchange.TransactionId;
        int byteCount = exchange.Quantity * 2;
        switch (kind)
        {
            case AttackKind.LengthTooLong:
                // A valid reply's length field is at most 253 (125 registers), so there is always room up to 254.
                SetLength(_reply, Math.Min(MbapHeader.MaxLengthField, validLength - 6 + _simulator.NextRandom(1, 11)));
                await SendAsync(valid, stop).ConfigureAwait(false);
                return true;
            case AttackKind.LengthTooShort:
                SetLength(_reply, _simulator.NextRandom(MbapHeader.MinLengthField, validLength - 6));
                await SendAsync(valid, stop).ConfigureAwait(false);
                return true;
            case AttackKind.LengthOutOfRange:
                int[] lengths = [0, 1, 255, 256, 0xFFFF, _simulator.NextRandom(257, 0xFFFF)];
                SetLength(_reply, lengths[_simulator.NextRandom(0, lengths.Length)]);
                await SendAsync(valid, stop).ConfigureAwait(false);
                return false;
            case AttackKind.TruncatedHeader:
                await SendAsync(valid[.._simulator.NextRandom(1, MbapHeader.Size)], stop).ConfigureAwait(false);
                return false;
            case AttackKind.WrongProtocolId:
                BinaryPrimitives.WriteUInt16BigEndian(_reply.AsSpan(MbapHeader.ProtocolIdOffset), (ushort)_simulator.NextRandom(1, 0x10000));
                await SendAsync(valid, stop).ConfigureAwait(false);
                return true;
            case AttackKind.WrongUnitId:
                _reply[MbapHeader.UnitIdOffset] ^= (byte)_simulator.NextRandom(1, 0x100);
                await SendAsync(valid, stop).ConfigureAwait(false);
                return true;
            case AttackKind.WrongTransactionId:
                BinaryPrimitives.WriteUInt16BigEndian(_reply, (ushort)(transactionId ^ _simulator.NextRandom(1, 0x10000)));
                await SendAsync(valid, stop).ConfigureAwait(false);
                return true;
            case AttackKind.LateReply:
                ushort previous = _previousTransactionId is { } earlier && earlier != transactionId ? earlier : (ushort)(transactionId - 1);
                int lateLength = WriteRegisters(_extra, previous, exchange.UnitId, exchange.Function, exchange.Address, exchange.Quantity, Math.Max(0, exchange.Step - 1));
                await SendAsync(_extra.AsMemory(0, lateLength), stop).ConfigureAwait(false);
                await SendAsync(valid, stop).ConfigureAwait(false);
                return true;
            case AttackKind.IllegalFunctionInReply:
                byte other = exchange.Function == (byte)ReadFunction.ReadHoldingRegisters ? (byte)ReadFunction.ReadInputRegisters : (byte)ReadFunction.ReadHoldingRegisters;
                byte[] functions = [other, 0x00, 0x01, 0x02, 0x06, 0x10, 0x2B, 0x7F];
                _reply[FunctionOffset] = functions[_simulator.NextRandom(0, functions.Length)];
                await SendAsync(valid, stop).ConfigureAwait(false);
                return true;
            case AttackKind.ExceptionResponse:
            case AttackKind.ExceptionUndefinedCode:
                byte[] codes = kind == AttackKind.ExceptionResponse ? DefinedExceptionCodes : UndefinedExceptionCodes;
                int exceptionLength = WriteException(_reply, transactionId, exchange.UnitId, exchange.Function, codes[_simulator.NextRandom(0, codes.Length)]);
                await SendAsync(_reply.AsMemory(0, exceptionLength), stop).ConfigureAwait(false);
                return true;
            case AttackKind.ByteCountTooLarge:
                _reply[ByteCountOffset] = (byte)_simulator.NextRandom(byteCount + 1, 0x100);
                await SendAsync(valid, stop).ConfigureAwait(false);
                return true;
            case AttackKind.ByteCountTooSmall:
                _reply[ByteCountOffset] = (byte)_simulator.NextRandom(0, byteCount);
                await SendAsync(valid, stop).ConfigureAwait(false);
                return true;
            case AttackKind.ByteCountOdd:
                // Half a register more or less, with the length field and the data to match.
                int oddCount = _simulator.NextRandom(0, 2) == 0 ? byteCount - 1 : byteCount + 1;
                _reply[DataOffset + byteCount] = (byte)_simulator.NextRandom(0, 0x100);
                _reply[ByteCountOffset] = (byte)oddCount;
                SetLength(_reply, 3 + oddCount);
                await SendAsync(_reply.AsMemory(0, DataOffset + oddCount), stop).ConfigureAwait(false);
                return true;
            case AttackKind.OversizedFrame:
                int size = _simulator.NextRandom(MbapHeader.MaxAduLength + 1, 601);
                _simulator.NextRandomBytes(_extra.AsSpan(DataOffset, size - DataOffset));
                new MbapHeader(transactionId, 0, (ushort)(size - 6), exchange.UnitId).Write(_extra);
                _extra[FunctionOffset] = exchange.Function;
                _extra[ByteCountOffset] = 0xFF;
                await SendAsync(_extra.AsMemory(0, size), stop).ConfigureAwait(false);
                return false;
            case AttackKind.Garbage:
                int count = _simulator.NextRandom(1, 65);
                _simulator.NextRandomBytes(_extra.AsSpan(0, count));
                if (count >= 2 && BinaryPrimitives.ReadUInt16BigEndian(_extra) == transactionId)
                {
                    _extra[0] ^= 0x80; // garbage must never pass for the answer
                }

                await SendAsync(_extra.AsMemory(0, count), stop).ConfigureAwait(false);
                return false;
            case AttackKind.DripFeed:
                for (int i = 0; i < validLength; i++)
                {
                    await SendAsync(valid.Slice(i, 1), stop).ConfigureAwait(false);
                    await Task.Delay(_simulator.Options.DripDelay, _simulator.Options.TimeProvider, stop).ConfigureAwait(false);
                }

                return true;
            case AttackKind.SplitFrame:
                // The first cut falls inside the header, so a client must assemble the header itself from pieces.
                int[] cuts = [_simulator.NextRandom(1, MbapHeader.Size), _simulator.NextRandom(1, validLength), _simulator.NextRandom(1, validLength)];
                Array.Sort(cuts);
                int at = 0;
                foreach (int cut in cuts)
                {
                    if (cut <= at)
                    {
                        continue;
                    }

                    await SendAsync(valid[at..cut], stop).ConfigureAwait(false);
                    await Task.Delay(_simulator.Options.SegmentDelay, _simulator.Options.TimeProvider, stop).ConfigureAwait(false);
                    at = cut;
                }

                await SendAsync(valid[at..], stop).ConfigureAwait(false);
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an attack kind");
        }
    }

    private static void SetLength(Span<byte> frame, int length) =>
        BinaryPrimitives.WriteUInt16BigEndian(frame[MbapHeader.LengthOffset..], (ushort)length);
}
