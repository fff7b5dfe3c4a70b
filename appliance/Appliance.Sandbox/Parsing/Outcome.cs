using System.Buffers.Binary;

namespace Appliance.Sandbox.Parsing;

/// <summary>
/// The canonical outcome of one decode: the lifted result of <c>decode</c> as bytes, independent of where the
/// guest placed it in its memory. Instances are voted on by comparing these bytes, and the transpiled
/// component under Node (tests/jco/decode.mjs) prints the same bytes, so the two runtimes are compared too.
/// <code>
/// ok:    0x00, count u32 LE, then per reading: tag u32 LE, quality u8, value case u8, payload:
///        boolean u8 0/1 | signed i64 LE | unsigned u64 LE | real f64 bits LE (NaN canonical) | text: length u32 LE, UTF-8
/// error: 0x01, decode-error case u8, payload u32 LE (the case's field, 0 when it has none)
/// </code>
/// </summary>
public static class Outcome
{
    public const byte OkTag = 0;
    public const byte ErrorTag = 1;
    public const int ErrorSize = 6;

    /// <summary>True when the outcome is a decode error; <paramref name="detail"/> is the error's field.</summary>
    public static bool IsError(ReadOnlySpan<byte> outcome, out DecodeError error, out uint detail)
    {
        if (outcome.Length == ErrorSize && outcome[0] == ErrorTag)
        {
            error = (DecodeError)outcome[1];
            detail = BinaryPrimitives.ReadUInt32LittleEndian(outcome[2..]);
            return true;
        }

        error = default;
        detail = 0;
        return false;
    }

    /// <summary>Writes an error outcome; returns its length.</summary>
    public static int WriteError(Span<byte> destination, DecodeError error, uint detail)
    {
        destination[0] = ErrorTag;
        destination[1] = (byte)error;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[2..], detail);
        return ErrorSize;
    }

    /// <summary>Reads the readings of an ok outcome (made by the host's own lifting, so its structure is trusted).</summary>
    public static OutcomeReader Readings(ReadOnlySpan<byte> outcome) => new(outcome);
}
