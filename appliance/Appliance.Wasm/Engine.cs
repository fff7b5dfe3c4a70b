namespace Appliance.Wasm;

/// <summary>Holds the configuration and limits under which modules are compiled and run. Thread-safe.</summary>
public sealed class Engine(EngineConfig? config = null)
{
    public EngineConfig Config { get; } = config ?? EngineConfig.Default;
}
