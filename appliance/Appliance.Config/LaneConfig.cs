namespace Appliance.Config;

/// <summary>One entry of <c>[tmr] lanes</c>: <c>"engine:guest"</c>.</summary>
/// <param name="Engine">The engine before the colon.</param>
/// <param name="Guest">The parser guest after it.</param>
public sealed record LaneConfig(SandboxEngine Engine, string Guest)
{
    /// <summary>
    /// The default layout, diverse: two engines and two independently written parsers where this build has them.
    /// A mode that votes with fewer lanes uses the first ones.
    /// </summary>
    public static IReadOnlyList<LaneConfig> Default { get; } =
    [
        new(SandboxEngine.Wasmtime, "modbus-parser"),
        new(SandboxEngine.Interpreter, "modbus-parser"),
        new(SandboxEngine.Wasmtime, "modbus-parser"),
    ];

    public override string ToString() => (Engine == SandboxEngine.Wasmtime ? "wasmtime" : "interpreter") + ":" + Guest;
}
