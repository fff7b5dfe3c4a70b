using Appliance.Wasm.Execution;

namespace Appliance.Wasm;

/// <summary>A function instance (Core spec 4.2.6): a guest function of an instance, or a host function.</summary>
public sealed class Function
{
    private ulong _reference;

    private Function(Store store, FunctionType type, Instance? instance, CompiledFunction? code, HostCallback? host)
    {
        Store = store;
        Type = type;
        Instance = instance;
        Code = code;
        Host = host;
    }

    public FunctionType Type { get; }

    public Store Store { get; }

    /// <summary>
    /// The value that stands for this function in a funcref slot or table (never 0, which is null). A
    /// function is registered with its store only when a reference to it is first made, so instances whose
    /// functions are never referenced leave nothing behind in the store.
    /// </summary>
    public ulong Reference
    {
        get
        {
            if (_reference == 0)
            {
                _reference = Store.Register(this);
            }

            return _reference;
        }
    }

    internal Instance? Instance { get; }

    internal CompiledFunction? Code { get; }

    internal HostCallback? Host { get; }

    public static Function FromHost(Store store, FunctionType type, HostCallback callback) => new(store, type, null, null, callback);

    internal static Function FromGuest(Store store, FunctionType type, Instance instance, CompiledFunction code) => new(store, type, instance, code, null);

    /// <summary>Calls the function with raw argument values (i32 zero-extended, floats as IEEE bits, references as numbers).</summary>
    public ulong[] Call(params ulong[] arguments) => Store.Machine.Invoke(this, arguments);

    /// <summary>Calls the function without allocating: results go to <paramref name="results"/> (at least as many as the type has).</summary>
    public void Call(ReadOnlySpan<ulong> arguments, Span<ulong> results) => Store.Machine.Invoke(this, arguments, results);
}
