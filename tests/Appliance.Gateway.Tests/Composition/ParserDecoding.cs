using System.Text;
using Appliance.Modbus;
using Appliance.Sandbox.Parsing;

namespace Appliance.Gateway.Tests.Composition;

/// <summary>Registers decoded by the parser guest, as the data path decodes them: the values a tag map yields, by tag index.</summary>
internal static class ParserDecoding
{
    private static readonly Lazy<ParserModule> Module = new(() => ParserModule.Compile(Guest.ModbusParser, new SandboxLimits(1_000_000, 16, 16_384, 256)));

    /// <summary>
    /// Decodes a valid reply to one read of <paramref name="registers"/> (two bytes each, as on the wire) from
    /// <paramref name="address"/> with <paramref name="function"/>. Each value is a double (a bit is 0 or 1) or, for text, a string.
    /// </summary>
    public static object?[] Values(IReadOnlyList<ParserTag> tags, ReadFunction function, ushort address, ReadOnlySpan<byte> registers)
    {
        var request = new ParserRequest(1, 1, (byte)function, address, (ushort)(registers.Length / 2));
        byte[] adu = new byte[9 + registers.Length];
        new MbapHeader(request.Transaction, 0, (ushort)(3 + registers.Length), request.Unit).Write(adu);
        adu[7] = request.Function;
        adu[8] = (byte)registers.Length;
        registers.CopyTo(adu.AsSpan(9));

        ParserInstance parser = ParserInstance.Create(Module.Value, tags);
        Assert.Equal(RunStatus.Completed, parser.Decode(request, adu));
        Assert.False(Outcome.IsError(parser.LastOutcome, out DecodeError error, out _), $"decode error {error}");
        object?[] values = new object?[tags.Count];
        OutcomeReader readings = Outcome.Readings(parser.LastOutcome);
        while (readings.TryReadNext(out Reading reading))
        {
            Assert.Equal(Quality.Good, reading.Quality);
            values[reading.Tag] = reading.Case switch
            {
                ValueCase.Boolean => reading.Boolean ? 1.0 : 0.0,
                ValueCase.Signed => (double)reading.Signed,
                ValueCase.Unsigned => (double)reading.Bits,
                ValueCase.Real => reading.Real,
                _ => Encoding.UTF8.GetString(reading.Text),
            };
        }

        return values;
    }
}
