namespace Appliance.Modbus.Simulator;

/// <summary>The built-in register map, and the waveforms the simulator gives the tags of a configuration file.</summary>
public sealed partial class SimulatorRegisterMap
{
    /// <summary>Steps by which the default waveforms run ahead of k, so that step 0 already has non-zero bytes everywhere.</summary>
    public const long HoldingPhase = 1000;

    /// <summary>Steps by which the input registers' waveforms run ahead of the holding registers', so the two areas differ.</summary>
    public const long InputPhase = 137;

    /// <summary>The four orders of the default map's blocks, in address order: ABCD, CDAB, BADC, DCBA (and their 64-bit forms).</summary>
    private static readonly SimulatedByteOrder[] Orders =
        [SimulatedByteOrder.BigEndian, SimulatedByteOrder.WordSwapped, SimulatedByteOrder.ByteSwapped, SimulatedByteOrder.LittleEndian];

    /// <summary>
    /// The map served when no configuration is given. Holding and input registers have the same layout;
    /// every waveform runs <see cref="HoldingPhase"/> steps ahead of k (so step 0 is not all zeros), and the
    /// input registers' another <see cref="InputPhase"/> steps (their random walk uses seed + 1).
    /// <code>
    /// address  tag                 type     order      waveform
    /// 0-1      temperature         float32  ABCD       sine 21.5 ± 3.5 °C, period 600 steps
    /// 2        pressure            int16    AB         random walk 0..1000 raw (scale 0.01 bar), start 250
    /// 3        pump_running        bit 0               square, period 200 steps
    /// 4-7      batch               string   AB         "B" + 7 digits, counts every 50 steps
    ///          (0-7: the tags of ExampleConfig.toml)
    /// 100-107  counter_abcd|cdab|badc|dcba   int32     ramp -1.5e9..1.5e9, period 3000 (one waveform, four orders)
    /// 108-115  level_abcd|cdab|badc|dcba     float32   sine 0 ± 1234.5678, period 900
    /// 116      int16               int16    AB         ramp -32000..32000, period 640
    /// 117      uint16              uint16   AB         ramp 0..65000, period 650 (100 per step)
    /// 118      bit0..bit15         bit 0-15            bit i: square of period 2^(i+1): the register counts (k + phase) mod 65536
    /// 119      (unused, reads 0)
    /// 120-135  total_abcdefgh|ghefcdab|badcfehg|hgfedcba  int64    ramp -4e15..4e15, period 5000
    /// 136-151  flow_abcdefgh|ghefcdab|badcfehg|hgfedcba   float64  sine 0 ± 98765.4321, period 1100
    /// 152-153  uint32              uint32   ABCD       ramp 0..4e9, period 4000
    /// 154-157  uint64              uint64   ABCDEFGH   ramp 0..9e15, period 7000
    /// 160-169  text                string   AB         "T" + 18 digits + " ", counts every step
    /// </code>
    /// Every other register reads 0.
    /// </summary>
    public static SimulatorRegisterMap CreateDefault(int seed = 1)
    {
        var tags = new List<SimulatedTag>();
        AddDefaultArea(tags, ReadFunction.ReadHoldingRegisters, HoldingPhase, seed);
        AddDefaultArea(tags, ReadFunction.ReadInputRegisters, HoldingPhase + InputPhase, seed + 1);
        return new SimulatorRegisterMap(tags);
    }

    /// <summary>
    /// The waveform the simulator gives the <paramref name="index"/>-th tag of a configuration file (counted over
    /// every device and group, in the file's order): numbers take a ramp, a sine and a random walk in turn over a
    /// range that fits the type; bits a square wave; strings a counter.
    /// </summary>
    public static Waveform WaveformFor(SimulatedValueType type, int index, int seed)
    {
        if (type == SimulatedValueType.Bit)
        {
            return new SquareWaveform(20 + (10 * (index % 7)), index);
        }

        if (type == SimulatedValueType.String)
        {
            return new RampWaveform(0, 1e9, 50_000_000_000, index * 50L);
        }

        (double min, double max) = type switch
        {
            SimulatedValueType.Int16 => (-20_000.0, 20_000.0),
            SimulatedValueType.UInt16 => (0.0, 60_000.0),
            SimulatedValueType.Int32 => (-1e9, 1e9),
            SimulatedValueType.UInt32 => (0.0, 4e9),
            SimulatedValueType.Int64 => (-4e15, 4e15),
            SimulatedValueType.UInt64 => (0.0, 8e15),
            _ => (-100.0, 100.0),
        };
        double center = (min + max) / 2;
        double half = (max - min) / 2;
        return (index % 3) switch
        {
            0 => new RampWaveform(min, max, 600, index * 37L),
            1 => new SineWaveform(center, half * 0.9, 300 + (index * 10L), index * 37L),
            _ => new RandomWalkWaveform(seed + index, center, half / 50, min, max),
        };
    }

    private static void AddDefaultArea(List<SimulatedTag> tags, ReadFunction area, long phase, int seed)
    {
        void Add(string name, int address, SimulatedValueType type, SimulatedByteOrder order, Waveform waveform, int bit = 0, int length = 1, double scale = 1.0) =>
            tags.Add(new SimulatedTag(name, area, address, type, waveform, order, bit, length, scale));

        // The tags of ExampleConfig.toml.
        Add("temperature", 0, SimulatedValueType.Float32, SimulatedByteOrder.BigEndian, new SineWaveform(21.5, 3.5, 600, phase));
        Add("pressure", 2, SimulatedValueType.Int16, SimulatedByteOrder.BigEndian, new RandomWalkWaveform(seed, 250, 5, 0, 1000), scale: 0.01);
        Add("pump_running", 3, SimulatedValueType.Bit, SimulatedByteOrder.BigEndian, new SquareWaveform(200, phase));
        Add("batch", 4, SimulatedValueType.String, SimulatedByteOrder.BigEndian, new RampWaveform(0, 10_000_000, 500_000_000, phase), length: 4);

        // Every word order of one waveform, so a client can prove its decoding: all four read the same.
        var counter = new RampWaveform(-1.5e9, 1.5e9, 3000, phase);
        var level = new SineWaveform(0, 1234.5678, 900, phase);
        for (int i = 0; i < Orders.Length; i++)
        {
            string suffix = WireOrder.Name(Orders[i], 4).ToLowerInvariant();
            Add($"counter_{suffix}", 100 + (2 * i), SimulatedValueType.Int32, Orders[i], counter);
            Add($"level_{suffix}", 108 + (2 * i), SimulatedValueType.Float32, Orders[i], level);
        }

        Add("int16", 116, SimulatedValueType.Int16, SimulatedByteOrder.BigEndian, new RampWaveform(-32_000, 32_000, 640, phase));
        Add("uint16", 117, SimulatedValueType.UInt16, SimulatedByteOrder.BigEndian, new RampWaveform(0, 65_000, 650, phase));
        for (int bit = 0; bit < 16; bit++)
        {
            Add($"bit{bit}", 118, SimulatedValueType.Bit, SimulatedByteOrder.BigEndian, new SquareWaveform(2L << bit, phase + (1L << bit)), bit: bit);
        }

        var total = new RampWaveform(-4e15, 4e15, 5000, phase);
        var flow = new SineWaveform(0, 98_765.4321, 1100, phase);
        for (int i = 0; i < Orders.Length; i++)
        {
            string suffix = WireOrder.Name(Orders[i], 8).ToLowerInvariant();
            Add($"total_{suffix}", 120 + (4 * i), SimulatedValueType.Int64, Orders[i], total);
            Add($"flow_{suffix}", 136 + (4 * i), SimulatedValueType.Float64, Orders[i], flow);
        }

        Add("uint32", 152, SimulatedValueType.UInt32, SimulatedByteOrder.BigEndian, new RampWaveform(0, 4e9, 4000, phase));
        Add("uint64", 154, SimulatedValueType.UInt64, SimulatedByteOrder.BigEndian, new RampWaveform(0, 9e15, 7000, phase));
        Add("text", 160, SimulatedValueType.String, SimulatedByteOrder.BigEndian, new RampWaveform(0, 1e18, (long)1e18, phase), length: 10);
    }
}
