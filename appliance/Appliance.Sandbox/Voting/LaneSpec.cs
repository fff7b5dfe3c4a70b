namespace Appliance.Sandbox.Voting;

/// <summary>One lane of the layout: an engine running a guest.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="Guest">The guest's name ("modbus-parser", "modbus-parser-c").</param>
public readonly record struct LaneSpec(LaneEngine Engine, string Guest)
{
    /// <summary>"engine:guest", as the configuration writes it.</summary>
    public override string ToString() => (Engine == LaneEngine.Wasmtime ? "wasmtime" : "interpreter") + ":" + Guest;
}
