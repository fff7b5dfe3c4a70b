namespace Appliance.Config;

/// <summary>One entry of <c>[tmr] lanes</c>: <c>"engine:guest"</c>.</summary>
/// <param name="Engine">The engine before the colon.</param>
/// <param name="Guest">The parser guest after it.</param>
public sealed record LaneConfig(SandboxEngine Engine, string Guest)
{
    /// <summary>
    /// The default layout, diverse: two engines (Wasmtime, our interpreter) and two independently written parsers (Rust,
    /// C). A fault of our interpreter or of the C parser touches one lane and is outvoted; one of Wasmtime or of the Rust
    /// parser touches two lanes and is at least reported, by the dissent of the third. A mode that votes with fewer lanes
    /// uses the first ones.
    /// </summary>
    public static IReadOnlyList<LaneConfig> Default { get; } =
    [
        new(SandboxEngine.Wasmtime, "modbus-parser"),
        new(SandboxEngine.Interpreter, "modbus-parser"),
        new(SandboxEngine.Wasmtime, "modbus-parser-c"),
    ];

    /// <summary>The parser guests this build carries, that a lane can name.</summary>
    public static IReadOnlyList<string> Guests { get; } = ["modbus-parser", "modbus-parser-c"];

    public override string ToString() => (Engine == SandboxEngine.Wasmtime ? "wasmtime" : "interpreter") + ":" + Guest;
}
