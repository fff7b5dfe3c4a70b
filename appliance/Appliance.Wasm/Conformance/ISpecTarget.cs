namespace Appliance.Wasm.Conformance;

/// <summary>
/// An engine as the spec-suite runner drives it (<see cref="SpecTestRunner"/>): ours (<see cref="InterpreterSpecTarget"/>)
/// or Wasmtime (in Appliance.Sandbox). Values cross as their bits in a <see cref="ulong"/>; a reference is 0 for null
/// and N + 1 for the suite's reference N.
/// </summary>
public interface ISpecTarget
{
    /// <summary>Decodes, validates and instantiates a module; throws <see cref="SpecRefusalException"/> saying at which step it failed.</summary>
    object Instantiate(string file);

    /// <summary>Decodes and validates a module without instantiating it; throws <see cref="SpecRefusalException"/> when it is refused.</summary>
    void Compile(string file);

    /// <summary>Makes an instance's exports importable under <paramref name="name"/>.</summary>
    void Register(string name, object instance);

    /// <summary>Calls an export; throws <see cref="SpecTrapException"/> when the call traps.</summary>
    ulong[] Invoke(object instance, string field, ulong[] arguments, string[] types);

    /// <summary>Reads an exported global.</summary>
    ulong Get(object instance, string field);
}
