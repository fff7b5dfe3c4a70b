using Wasmtime;

namespace Appliance.Drivers.Hosting;

/// <summary>
/// A driver guest of world <c>sensor-driver</c>, compiled once by Wasmtime with fuel metering, and the linker that
/// gives its instances the capability imports. Each import lowers its result into the calling instance's memory
/// (through the guest's <c>cabi_realloc</c> for lists); the decisions themselves are <see cref="DriverCapabilities"/>'.
/// Drivers run in Wasmtime only: a list result needs the host to call back into the guest during an import, which
/// our interpreter does not allow.
/// </summary>
public sealed class DriverModule : IDisposable
{
    private DriverModule(string name, Engine engine, Module module, Linker linker, DriverLimits limits)
    {
        Name = name;
        Engine = engine;
        Module = module;
        Linker = linker;
        Limits = limits;
    }

    public string Name { get; }

    public DriverLimits Limits { get; }

    internal Engine Engine { get; }

    internal Module Module { get; }

    internal Linker Linker { get; }

    /// <exception cref="DriverFaultException">Wasmtime refused the module, or it does not import only the capabilities.</exception>
    public static DriverModule Compile(string name, byte[] wasm, DriverLimits limits)
    {
        ArgumentNullException.ThrowIfNull(wasm);
        ArgumentNullException.ThrowIfNull(limits);
        var engine = new Engine(new Config()
            .WithFuelConsumption(true)
            .WithSIMD(false)
            .WithRelaxedSIMD(false, false)
            .WithWasmThreads(false)
            .WithMultiMemory(false)
            .WithMemory64(false)
            .WithMaximumStackSize(512 * 1024));
        try
        {
            Module module = Module.FromBytes(engine, name, wasm);
            foreach (Import import in module.Imports)
            {
                if (import.ModuleName is not (DriverAbi.SensorFs or DriverAbi.SensorNet or DriverAbi.Log))
                {
                    throw new DriverFaultException($"driver {name} imports {import.ModuleName}#{import.Name}; a driver may import only the sensor-fs, sensor-net and log interfaces");
                }
            }

            var linker = new Linker(engine);
            HostImports.Define(linker);
            return new DriverModule(name, engine, module, linker, limits);
        }
        catch (WasmtimeException refused)
        {
            engine.Dispose();
            throw new DriverFaultException($"Wasmtime refused driver {name}: {refused.Message.Split('\n')[0]}", refused);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Linker.Dispose();
        Module.Dispose();
        Engine.Dispose();
    }
}
