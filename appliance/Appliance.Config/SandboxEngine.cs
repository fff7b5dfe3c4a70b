namespace Appliance.Config;

/// <summary>The engine of a voting lane, as <c>[tmr] lanes</c> writes it before the colon.</summary>
public enum SandboxEngine
{
    /// <summary><c>wasmtime</c>: the Bytecode Alliance runtime, native code.</summary>
    Wasmtime,

    /// <summary><c>interpreter</c>: our own WebAssembly interpreter.</summary>
    Interpreter,
}
