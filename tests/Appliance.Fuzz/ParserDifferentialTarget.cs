using System.Globalization;
using System.Text;
using Appliance.Sandbox.Parsing;
using Appliance.Testing;

namespace Appliance.Fuzz;

/// <summary>
/// Differential testing of the two parser guests, the Rust one (guest/modbus-parser) and the independently written C
/// one (guest/modbus-parser-c), through the host's canonical-ABI binding on our engine: on every tag map both must
/// accept it or refuse the same tag for the same problem, and on every request and ADU both must complete (no trap,
/// nothing the host refuses to lift) with byte-identical canonical outcomes. Any difference is a bug in one of them
/// and is thrown as a <see cref="ParserDisagreementException"/> that prints the case as a test row.
/// </summary>
public sealed class ParserDifferentialTarget
{
    /// <summary>The limits the appliance ships with ([tmr] in ExampleConfig.toml).</summary>
    public static readonly SandboxLimits Limits = new(Fuel: 1_000_000, MemoryPages: 16, StackSlots: 16_384, CallDepth: 256);

    private readonly ParserModule _rust;
    private readonly ParserModule _c;

    public ParserDifferentialTarget(byte[] rust, byte[] c)
    {
        _rust = ParserModule.Compile(rust, Limits);
        _c = ParserModule.Compile(c, Limits);
    }

    /// <summary>Both guests from this assembly's resources.</summary>
    public static ParserDifferentialTarget FromEmbeddedGuests() => new(
        EmbeddedGuest.Read(typeof(ParserDifferentialTarget).Assembly, "modbus-parser"),
        EmbeddedGuest.Read(typeof(ParserDifferentialTarget).Assembly, "modbus-parser-c"));

    /// <summary>Both parsers configured with one tag map.</summary>
    public sealed record Pair(ParserInstance Rust, ParserInstance C, IReadOnlyList<ParserTag> Tags);

    /// <summary>Configures both with the tags: the pair when both accept them, null when both refuse the same tag for the same problem.</summary>
    public Pair? Configure(IReadOnlyList<ParserTag> tags, out string outcome)
    {
        ArgumentNullException.ThrowIfNull(tags);
        (ParserInstance? rust, string rustOutcome) = Create(_rust, tags);
        (ParserInstance? c, string cOutcome) = Create(_c, tags);
        if (rustOutcome != cOutcome)
        {
            throw new ParserDisagreementException($"configure: rust {rustOutcome}, c {cOutcome}\n{Describe(tags)}");
        }

        outcome = rustOutcome;
        return rust is not null && c is not null ? new Pair(rust, c, tags) : null;
    }

    private static (ParserInstance? Instance, string Outcome) Create(ParserModule module, IReadOnlyList<ParserTag> tags)
    {
        try
        {
            return (ParserInstance.Create(module, tags), "configured");
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

    /// <summary>Decodes the ADU in both; returns "ok" or the decode error's name when both outcomes are byte-identical.</summary>
    public static string Decode(Pair pair, in ParserRequest request, ReadOnlySpan<byte> adu)
    {
        ArgumentNullException.ThrowIfNull(pair);
        RunStatus rust = pair.Rust.Decode(request, adu);
        RunStatus c = pair.C.Decode(request, adu);
        if (rust != RunStatus.Completed || c != RunStatus.Completed || !pair.Rust.LastOutcome.SequenceEqual(pair.C.LastOutcome))
        {
            throw new ParserDisagreementException(
                $"decode: rust {Show(rust, pair.Rust)}, c {Show(c, pair.C)}\n{Describe(pair.Tags)}\nrequest: new({request.Transaction}, {request.Unit}, {request.Function}, {request.Address}, {request.Quantity})\nadu: {Convert.ToHexStringLower(adu)}");
        }

        return Outcome.IsError(pair.Rust.LastOutcome, out DecodeError error, out _) ? error.ToString() : "ok";
    }

    private static string Show(RunStatus status, ParserInstance instance) =>
        status == RunStatus.Completed ? Convert.ToHexStringLower(instance.LastOutcome) : $"{status} ({instance.LastFault})";

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
            Pair? pair = Configure(tags, out string configured);
            Count(counts, configured.StartsWith("refused", StringComparison.Ordinal) ? "configure " + configured[(configured.IndexOf(':', StringComparison.Ordinal) + 2)..] : "configure ok");
            if (pair is null)
            {
                continue;
            }

            for (int i = 0; i < decodesPerMap && done < cases; i++, done++)
            {
                if (i > 0 && generator.NextRequestChanges())
                {
                    request = generator.Request();
                }

                Count(counts, Decode(pair, request, generator.Adu(request, tags)));
            }
        }

        return counts;
    }

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
