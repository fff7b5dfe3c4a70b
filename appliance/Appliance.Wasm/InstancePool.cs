namespace Appliance.Wasm;

/// <summary>
/// Instances of one module, reused instead of re-instantiated: a returned instance is reset to its
/// post-instantiation snapshot (microseconds) and handed out again. Single-threaded, like its store.
/// </summary>
public sealed class InstancePool(Linker linker, Store store, Module module)
{
    private readonly Stack<Instance> _free = new();

    /// <summary>Instances made so far, handed out or free.</summary>
    public int Created { get; private set; }

    /// <summary>An instance in its post-instantiation state.</summary>
    public Instance Rent()
    {
        if (_free.TryPop(out Instance? instance))
        {
            return instance;
        }

        Created++;
        return linker.Instantiate(store, module);
    }

    /// <summary>Resets the instance and keeps it for the next <see cref="Rent"/>.</summary>
    public void Return(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!ReferenceEquals(instance.Module, module))
        {
            throw new ArgumentException("the instance belongs to another module", nameof(instance));
        }

        instance.Reset();
        _free.Push(instance);
    }
}
