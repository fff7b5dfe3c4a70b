using Appliance.Wasm.Execution;

namespace Appliance.Wasm;

/// <summary>
/// Owns instances, their functions and one execution machine (value stack and call frames). A store runs
/// one call at a time: use one store per thread. Fuel belongs to the store.
/// </summary>
public sealed class Store
{
    private readonly List<Function> _functions = [];

    public Store(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
        Machine = new Machine(this);
    }

    public Engine Engine { get; }

    /// <summary>Fuel left for guest code; each operator costs one (see the translator's cost table).</summary>
    public long Fuel { get; set; } = long.MaxValue;

    internal Machine Machine { get; }

    /// <summary>Continues a run that stopped with <see cref="TrapCode.OutOfFuel"/>, after more fuel was added.</summary>
    public ulong[] Resume() => Machine.Resume();

    internal ulong Register(Function function)
    {
        _functions.Add(function);
        return (ulong)_functions.Count;
    }

    internal Function FunctionOf(ulong reference) => _functions[(int)(reference - 1)];
}
