using System.Globalization;
using System.Text;
using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;
using Appliance.Testing;

namespace Appliance.Fuzz;

/// <summary>
/// Differential testing of the two parser guests, the Rust one (guest/modbus-parser) and the independently written C
/// one (guest/modbus-parser-c), each in both engines (our interpreter and Wasmtime), through the host's canonical-ABI
/// binding: four lanes. On every tag map all four must accept it or refuse the same tag for the same problem, and on
/// every request and ADU all four must complete (no trap, nothing the host refuses to lift) with byte-identical
/// canonical outcomes. A difference between the guests is a bug in one parser; a difference between the engines
/// running one guest is a bug in one engine (or in the host's binding of it). Either is thrown as a
/// <see cref="ParserDisagreementException"/> that prints the case as a test row.
/// </summary>
public sealed class ParserDifferentialTarget : IDisposable
{
    /// <summary>The limits the appliance ships with ([tmr] in ExampleConfig.toml).</summary>
    public static readonly SandboxLimits Limits = new(Fuel: 1_000_000, MemoryPages: 16, StackSlots: 16_384, CallDepth: 256);

    /// <summary>The four lanes compared, the first being the reference every other is compared with.</summary>
    public static readonly IReadOnlyList<LaneSpec> Layout =
    [
        new(LaneEngine.Interpreter, "modbus-parser"),
        new(LaneEngine.Interpreter, "modbus-parser-c"),
        new(LaneEngine.Wasmtime, "modbus-parser"),
        new(LaneEngine.Wasmtime, "modbus-parser-c"),
    ];

    private readonly ParserLanes _lanes;

    /// <param name="rust">The module run as "modbus-parser".</param>
    /// <param name="c">The module run as "modbus-parser-c".</param>
    public ParserDifferentialTarget(byte[] rust, byte[] c) =>
        _lanes = new ParserLanes(Layout, new Dictionary<string, byte[]> { ["modbus-parser"] = rust, ["modbus-parser-c"] = c }, Limits);

    /// <summary>Both guests from this assembly's resources.</summary>
    public static ParserDifferentialTarget FromEmbeddedGuests() => new(
        EmbeddedGuest.Read(typeof(ParserDifferentialTarget).Assembly, "modbus-parser"),
        EmbeddedGuest.Read(typeof(ParserDifferentialTarget).Assembly, "modbus-parser-c"));

    /// <summary>The four lanes configured with one tag map, in <see cref="Layout"/> order.</summary>
    public sealed record Lanes(IReadOnlyList<ParserLane> All, IReadOnlyList<ParserTag> Tags) : IDisposable
    {
        public void Dispose()
        {
            foreach (ParserLane lane in All)
            {
                (lane as IDisposable)?.Dispose();
            }
        }
    }

    /// <summary>Configures all four with the tags: the lanes when all accept them, null when all refuse the same tag for the same problem.</summary>
    public Lanes? Configure(IReadOnlyList<ParserTag> tags, out string outcome)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var made = new List<ParserLane>(Layout.Count);
        var outcomes = new List<string>(Layout.Count);
        foreach (LaneSpec spec in Layout)
        {
            (ParserLane? lane, string laneOutcome) = Create(spec, tags);
            outcomes.Add(laneOutcome);
            if (lane is not null)
            {
                made.Add(lane);
            }
        }

        if (outcomes.Distinct(StringComparer.Ordinal).Count() > 1)
        {
            new Lanes(made, tags).Dispose();
            throw new ParserDisagreementException($"configure:{Each(outcomes)}\n{Describe(tags)}");
        }

        outcome = outcomes[0];
        if (made.Count < Layout.Count)
        {
            new Lanes(made, tags).Dispose();
            return null;
        }

        return new Lanes(made, tags);
    }

    private (ParserLane? Lane, string Outcome) Create(LaneSpec spec, IReadOnlyList<ParserTag> tags)
    {
        try
        {
            return (_lanes.CreateLane(spec, tags), "configured");
        }
        catch (ParserConfigurationException refused) when (refused.Problem is not null)
        {
            return (null, $"refused tag {refused.Tag}: {refused.Problem}");
        }
        catch (ParserConfigurationException failed)
        {
            return (null, $"failed: {failed.Message}");
        }
    }

    /// <summary>Decodes the ADU in all four; returns "ok" or the decode error's name when all outcomes are byte-identical.</summary>
    public static string Decode(Lanes lanes, in ParserRequest request, ReadOnlySpan<byte> adu)
    {
        ArgumentNullException.ThrowIfNull(lanes);
        bool agree = true;
        ParserLane reference = lanes.All[0];
        foreach (ParserLane lane in lanes.All)
        {
            agree &= lane.Decode(request, adu) == RunStatus.Completed && lane.LastOutcome.SequenceEqual(reference.LastOutcome);
        }

        if (!agree)
        {
            string shown = Each(lanes.All.Select(lane => lane.OutcomeLength > 0 ? Convert.ToHexStringLower(lane.LastOutcome) : $"did not complete ({lane.LastFault})").ToList());
            throw new ParserDisagreementException(
                $"decode:{shown}\n{Describe(lanes.Tags)}\nrequest: new({request.Transaction}, {request.Unit}, {request.Function}, {request.Address}, {request.Quantity})\nadu: {Convert.ToHexStringLower(adu)}");
        }

        return Outcome.IsError(reference.LastOutcome, out DecodeError error, out _) ? error.ToString() : "ok";
    }

    /// <summary>One line per lane: "  engine:guest what".</summary>
    private static string Each(List<string> perLane) =>
        string.Concat(Layout.Select((spec, i) => $"\n  {spec} {perLane[i]}"));

    /// <summary>Runs <paramref name="cases"/> decodes of random maps, requests and ADUs (a new map every <paramref name="decodesPerMap"/>); returns the outcomes counted.</summary>
    public SortedDictionary<string, long> Run(int seed, long cases, int decodesPerMap = 16)
    {
        var generator = new ParserCases(seed);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long done = 0;
        while (done < cases)
        {
            ParserRequest request = generator.Request();
            ParserTag[] tags = generator.Tags(request);
            using Lanes? lanes = Configure(tags, out string configured);
            Count(counts, configured.StartsWith("refused", StringComparison.Ordinal) ? "configure " + configured[(configured.IndexOf(':', StringComparison.Ordinal) + 2)..] : "configure ok");
            if (lanes is null)
            {
                continue;
            }

            for (int i = 0; i < decodesPerMap && done < cases; i++, done++)
            {
                if (i > 0 && generator.NextRequestChanges())
                {
                    request = generator.Request();
                }

                Count(counts, Decode(lanes, request, generator.Adu(request, tags)));
            }
        }

        return counts;
    }

    public void Dispose() => _lanes.Dispose();

    private static void Count(SortedDictionary<string, long> counts, string outcome) =>
        counts[outcome] = counts.GetValueOrDefault(outcome) + 1;

    /// <summary>The tags as C# collection elements of <see cref="ParserTag"/>, ready to paste into a test row.</summary>
    public static string Describe(IReadOnlyList<ParserTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"tags ({tags.Count}):");
        foreach (ParserTag t in tags.Count > 40 ? tags.Take(40) : tags)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  new({t.Address}, TagKind.{t.Kind}, {Bool(t.ByteSwap)}, {Bool(t.WordSwap)}, {t.Bit}, {t.Length}, {Number(t.Scale)}, {Number(t.Offset)}),");
        }

        if (tags.Count > 40)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  ... {tags.Count - 40} more");
        }

        return text.ToString();

        static string Bool(bool value) => value ? "true" : "false";
    }

    /// <summary>A double as C# source that reads back to the same bits.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "double.PositiveInfinity",
        double.NegativeInfinity => "double.NegativeInfinity",
        _ when double.IsNaN(value) => $"BitConverter.UInt64BitsToDouble(0x{BitConverter.DoubleToUInt64Bits(value):X16})",
        _ when value == 0 && double.IsNegative(value) => "-0.0",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
