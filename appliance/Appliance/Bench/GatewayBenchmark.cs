using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;

namespace Appliance.Bench;

/// <summary>
/// <c>appliance bench gateway</c>: the parser triplet on the frame the issue names, a 125-register FC 0x03
/// response (31 float32 ABCD, 31 int32 CDAB and one uint16: 63 tags). Measures the triplet's decode latency
/// (p50, p99), voted frames per second on one core, one instance's decode and the reset of a trapped instance.
/// What another runtime needs to get a fresh, configured instance instead of a reset is measured beside it by
/// <c>tests/bench/gateway</c>, never by the binary.
/// </summary>
internal sealed class GatewayBenchmark(IReadOnlyDictionary<string, byte[]> guests, bool quick)
{
    public const int Registers = 125;

    private const string Guest = "modbus-parser";

    public GatewayBenchReport Run(string version)
    {
        TmrConfig tmr = ConfigLoader.Parse(ExampleConfig.Utf8, "example", ".").Config!.Tmr with { FaultInjection = new FaultInjectionConfig(0, 0, 1) };
        SandboxLimits limits = SandboxOptionsMapping.Limits(tmr);
        ParserTag[] tags = Tags();
        var request = new ParserRequest(1, 1, 3, 0, Registers);
        byte[] adu = Response(request);

        // The lockstep layout (three interpreter lanes of one guest, memories compared) and the configured default.
        LaneSpec interpreter = new(LaneEngine.Interpreter, Guest);
        using var lockstepLanes = new ParserLanes([interpreter, interpreter, interpreter], guests, limits);
        using ParserTriplet lockstep = lockstepLanes.CreateTriplet(VotingMode.TwoOutOfThree, tags);
        TripletFigures lockstepFigures = MeasureTriplet(lockstep, request, adu);
        LaneSpec[] layout = SandboxOptionsMapping.Lanes(tmr.Lanes);
        using var defaultLanes = new ParserLanes(layout, guests, limits);
        using ParserTriplet diverse = defaultLanes.CreateTriplet(VotingMode.TwoOutOfThree, tags);
        TripletFigures diverseFigures = MeasureTriplet(diverse, request, adu);

        ParserInstance interpreted = ParserInstance.Create(ParserModule.Compile(guests[Guest], limits, Guest), tags);
        LaneFigures interpreterFigures = MeasureLane(interpreted, request, adu);
        using WasmtimeParserModule compiled = WasmtimeParserModule.Compile(guests[Guest], limits, Guest);
        using WasmtimeLane native = WasmtimeLane.Create(compiled, tags);
        LaneFigures wasmtimeFigures = MeasureLane(native, request, adu);

        return new GatewayBenchReport(
            version,
            quick,
            guests[Guest].Length,
            tags.Length,
            adu.Length,
            lockstepFigures,
            interpreterFigures,
            string.Join(", ", layout),
            diverseFigures,
            wasmtimeFigures);
    }

    private TripletFigures MeasureTriplet(ParserTriplet triplet, ParserRequest request, byte[] adu)
    {
        int frames = quick ? 200 : 20_000;
        for (int i = 0; i < frames / 4; i++)
        {
            Check(triplet.Decode(request, adu).Verdict);
        }

        long[] latencies = new long[frames];
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < frames; i++)
        {
            long before = Stopwatch.GetTimestamp();
            Check(triplet.Decode(request, adu).Verdict);
            latencies[i] = Stopwatch.GetTimestamp() - before;
        }

        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Array.Sort(latencies);
        return new TripletFigures(Microseconds(latencies[latencies.Length / 2]), Microseconds(latencies[(int)(latencies.Length * 0.99)]), frames / seconds);
    }

    /// <summary>One lane's decode, and its reset after it trapped half-way through a decode (half the fuel a decode needs: it has written its stack, the frame and part of its output).</summary>
    private LaneFigures MeasureLane(ParserLane lane, ParserRequest request, byte[] adu)
    {
        double decode = Median(quick ? 100 : 5_000, () => lane.Decode(request, adu));
        long fuelPerDecode = FuelPerDecode(lane, request, adu);
        int resets = quick ? 50 : 2_000;
        long[] resetTicks = new long[resets];
        for (int i = 0; i < resets; i++)
        {
            if (lane.Decode(request, adu, fuel: fuelPerDecode / 2) != RunStatus.Trapped)
            {
                throw new InvalidOperationException($"{lane.Name} with half the fuel a decode needs did not trap");
            }

            long before = Stopwatch.GetTimestamp();
            lane.Reset();
            resetTicks[i] = Stopwatch.GetTimestamp() - before;
        }

        Array.Sort(resetTicks);
        return new LaneFigures(decode, Microseconds(resetTicks[resetTicks.Length / 2]), Microseconds(resetTicks[^1]));
    }

    /// <summary>The least fuel the lane decodes the frame with, found by halving: engines count fuel differently.</summary>
    private static long FuelPerDecode(ParserLane lane, ParserRequest request, byte[] adu)
    {
        long low = 0;
        long high = lane.Fuel;
        while (high - low > 1)
        {
            long middle = (low + high) / 2;
            bool completed = lane.Decode(request, adu, fuel: middle) == RunStatus.Completed;
            lane.Reset();
            (low, high) = completed ? (low, middle) : (middle, high);
        }

        return high;
    }

    /// <summary>The tag map of <see cref="Tags"/>, lowered as <c>configure</c> receives it: the input of <c>tests/bench/gateway</c>.</summary>
    public static byte[] LoweredTags() => ParserTag.LowerAll(Tags());

    /// <summary>31 float32 ABCD, 31 int32 CDAB, one uint16: 125 registers.</summary>
    public static ParserTag[] Tags()
    {
        var tags = new List<ParserTag>();
        for (int i = 0; i < 31; i++)
        {
            tags.Add(new ParserTag((ushort)(i * 2), TagKind.Float32, false, false, 0, 2, 1.0, 0.0));
        }

        for (int i = 0; i < 31; i++)
        {
            tags.Add(new ParserTag((ushort)(62 + (i * 2)), TagKind.Int32, false, true, 0, 2, 1.0, 0.0));
        }

        tags.Add(new ParserTag(124, TagKind.UInt16, false, false, 0, 1, 1.0, 0.0));
        return [.. tags];
    }

    /// <summary>A valid response to <paramref name="request"/> whose registers hold sine-shaped values.</summary>
    public static byte[] Response(ParserRequest request)
    {
        int dataBytes = request.Quantity * 2;
        byte[] adu = new byte[9 + dataBytes];
        BinaryPrimitives.WriteUInt16BigEndian(adu, request.Transaction);
        BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), (ushort)(3 + dataBytes));
        adu[6] = request.Unit;
        adu[7] = request.Function;
        adu[8] = (byte)dataBytes;
        for (int i = 0; i < request.Quantity; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(9 + (i * 2)), (ushort)(32768 + (30000 * Math.Sin(i / 7.0))));
        }

        return adu;
    }

    private static void Check(Verdict verdict)
    {
        if (verdict != Verdict.Unanimous)
        {
            throw new InvalidOperationException($"the benchmark frame was not decoded unanimously ({verdict})");
        }
    }

    private static double Median(int runs, Func<RunStatus> run)
    {
        long[] ticks = new long[runs];
        for (int i = 0; i < runs; i++)
        {
            long before = Stopwatch.GetTimestamp();
            if (run() != RunStatus.Completed)
            {
                throw new InvalidOperationException("the benchmark frame did not decode");
            }

            ticks[i] = Stopwatch.GetTimestamp() - before;
        }

        Array.Sort(ticks);
        return Microseconds(ticks[runs / 2]);
    }

    private static double Microseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    internal static string Number(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
