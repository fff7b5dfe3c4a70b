using System.Buffers.Binary;
using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;
using Appliance.Testing;

namespace Appliance.Fuzz;

/// <summary>
/// Fuzz target for response ADUs: every input goes through two independent parser triplets (2oo3, no fault
/// injection) configured with a tag map of every kind. Findings: a host exception, an instance that traps or
/// returns a result the host cannot lift (so the vote is not unanimous), and two triplets that vote
/// differently on the same bytes. A malformed frame is not a finding; it is a decode error.
/// </summary>
public sealed class AduTarget
{
    /// <summary>The request every input is decoded against: transaction 0x0107, unit 1, FC 3, registers 0..15.</summary>
    public static readonly ParserRequest Request = new(0x0107, 1, 3, 0, 16);

    private static readonly ParserTag[] Tags =
    [
        new(0, TagKind.Bit, false, false, 7, 1, 1, 0),
        new(0, TagKind.Int16, false, false, 0, 1, 1, 0),
        new(1, TagKind.UInt16, true, false, 0, 1, 0.5, 1),
        new(2, TagKind.Int32, false, true, 0, 2, 1, 0),
        new(4, TagKind.Float32, true, true, 0, 2, 1, 0),
        new(6, TagKind.Float64, false, false, 0, 4, 2, -1),
        new(10, TagKind.UInt64, true, true, 0, 4, 1, 0),
        new(14, TagKind.Text, false, false, 0, 2, 1, 0),
    ];

    private readonly ParserTriplet _first;
    private readonly ParserTriplet _second;
    private readonly byte[] _previous = new byte[8192];

    public AduTarget(byte[] guest)
    {
        ParserModule module = ParserModule.Compile(guest, new SandboxLimits(1_000_000, 16, 16_384, 256));
        _first = ParserTriplet.Create(module, VotingMode.TwoOutOfThree, Tags);
        _second = ParserTriplet.Create(module, VotingMode.TwoOutOfThree, Tags);
    }

    /// <summary>A parser guest from this assembly's resources: modbus-parser (Rust) or modbus-parser-c.</summary>
    public static byte[] Guest(string name = "modbus-parser") => EmbeddedGuest.Read(typeof(AduTarget).Assembly, name);

    /// <summary>Decodes the input twice; returns "ok" or the decode error's name. Throws on a finding.</summary>
    public string Fuzz(ReadOnlySpan<byte> input)
    {
        VoteResult first = _first.Decode(Request, input);
        if (first.Verdict != Verdict.Unanimous)
        {
            throw new InvalidOperationException($"the first triplet did not agree unanimously ({first.Verdict}): {string.Join("; ", _first.Statistics.Instances.Select(i => i.LastFault))}");
        }

        int length = first.Outcome.Length;
        first.Outcome.CopyTo(_previous);
        VoteResult second = _second.Decode(Request, input);
        if (second.Verdict != Verdict.Unanimous || !second.Outcome.SequenceEqual(_previous.AsSpan(0, length)))
        {
            throw new InvalidOperationException("two triplets voted differently on the same input");
        }

        return Outcome.IsError(second.Outcome, out DecodeError error, out _) ? error.ToString() : "ok";
    }

    /// <summary>Seed inputs: valid responses to <see cref="Request"/>, exceptions, and the header lies of the attack catalogue.</summary>
    public static IReadOnlyList<byte[]> Corpus()
    {
        var random = new Random(7);
        var corpus = new List<byte[]>();
        for (int i = 0; i < 16; i++)
        {
            byte[] valid = new byte[9 + 32];
            BinaryPrimitives.WriteUInt16BigEndian(valid, Request.Transaction);
            BinaryPrimitives.WriteUInt16BigEndian(valid.AsSpan(4), 35);
            valid[6] = Request.Unit;
            valid[7] = Request.Function;
            valid[8] = 32;
            random.NextBytes(valid.AsSpan(9));
            corpus.Add(valid);
            corpus.Add([.. valid.AsSpan(0, 7), (byte)(Request.Function | 0x80), (byte)i]);
            byte[] lying = (byte[])valid.Clone();
            lying[5] = (byte)random.Next(256);
            corpus.Add(lying);
        }

        return corpus;
    }
}
