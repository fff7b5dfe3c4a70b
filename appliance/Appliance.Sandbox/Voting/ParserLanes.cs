using Appliance.Sandbox.Parsing;

namespace Appliance.Sandbox.Voting;

/// <summary>
/// The lane layout of a gateway and the guests it runs, each compiled once per engine: makes every poll group's
/// triplet (one lane per <see cref="LaneSpec"/>, configured with the group's tags). Owns the compiled modules.
/// </summary>
public sealed class ParserLanes : IDisposable
{
    private readonly IReadOnlyList<LaneSpec> _layout;
    private readonly Dictionary<string, ParserModule> _interpreted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WasmtimeParserModule> _compiled = new(StringComparer.Ordinal);

    /// <param name="layout">The lanes, in voting order.</param>
    /// <param name="guests">The module of each guest the layout names.</param>
    /// <param name="limits">Fuel, memory and stack limits of every lane.</param>
    /// <exception cref="ParserConfigurationException">A guest is missing, or an engine refused its module.</exception>
    public ParserLanes(IReadOnlyList<LaneSpec> layout, IReadOnlyDictionary<string, byte[]> guests, SandboxLimits limits)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(guests);
        ArgumentNullException.ThrowIfNull(limits);
        _layout = [.. layout];
        try
        {
            foreach (LaneSpec lane in _layout)
            {
                if (!guests.TryGetValue(lane.Guest, out byte[]? wasm))
                {
                    throw new ParserConfigurationException($"lane {lane} names the guest \"{lane.Guest}\", which this build does not have; it has {string.Join(", ", guests.Keys)}");
                }

                if (lane.Engine == LaneEngine.Wasmtime && !_compiled.ContainsKey(lane.Guest))
                {
                    _compiled[lane.Guest] = WasmtimeParserModule.Compile(wasm, limits, lane.Guest);
                }
                else if (lane.Engine == LaneEngine.Interpreter && !_interpreted.ContainsKey(lane.Guest))
                {
                    _interpreted[lane.Guest] = Compile(wasm, limits, lane.Guest);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The lanes, in voting order.</summary>
    public IReadOnlyList<LaneSpec> Layout => _layout;

    /// <summary>A triplet of the first lanes of the layout (as many as <paramref name="mode"/> votes with), each configured with <paramref name="tags"/>.</summary>
    /// <exception cref="ParserConfigurationException">A guest refused the tag map.</exception>
    public ParserTriplet CreateTriplet(VotingMode mode, IReadOnlyList<ParserTag> tags, FaultInjector? faults = null)
    {
        int count = Voter.InstanceCount(mode);
        if (_layout.Count < count)
        {
            throw new ParserConfigurationException($"mode {mode} votes with {count} lanes but the layout has {_layout.Count}");
        }

        var lanes = new List<ParserLane>(count);
        try
        {
            foreach (LaneSpec lane in _layout.Take(count))
            {
                lanes.Add(CreateLane(lane, tags));
            }
        }
        catch
        {
            foreach (ParserLane made in lanes)
            {
                (made as IDisposable)?.Dispose();
            }

            throw;
        }

        return ParserTriplet.Create(lanes, mode, faults);
    }

    /// <summary>One lane of the layout, configured with <paramref name="tags"/> (Wasmtime lanes are <see cref="IDisposable"/>).</summary>
    /// <exception cref="ParserConfigurationException">The guest refused the tag map.</exception>
    public ParserLane CreateLane(LaneSpec lane, IReadOnlyList<ParserTag> tags)
    {
        if (!_layout.Contains(lane))
        {
            throw new ArgumentException($"lane {lane} is not in the layout", nameof(lane));
        }

        return lane.Engine == LaneEngine.Wasmtime
            ? WasmtimeLane.Create(_compiled[lane.Guest], tags)
            : ParserInstance.Create(_interpreted[lane.Guest], tags);
    }

    public void Dispose()
    {
        foreach (WasmtimeParserModule module in _compiled.Values)
        {
            module.Dispose();
        }

        _compiled.Clear();
    }

    private static ParserModule Compile(byte[] wasm, SandboxLimits limits, string guest)
    {
        try
        {
            return ParserModule.Compile(wasm, limits, guest);
        }
        catch (Wasm.WasmModuleException refused)
        {
            throw new ParserConfigurationException($"the interpreter refused the {guest} module: {refused.Message}", refused);
        }
    }
}
