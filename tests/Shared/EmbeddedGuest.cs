using System.Reflection;

namespace Appliance.Testing;

/// <summary>A WebAssembly guest that guest/Guests.targets built and embedded in a test assembly, as in the executable.</summary>
internal static class EmbeddedGuest
{
    public static byte[] Read(Assembly assembly, string name)
    {
        using Stream stream = assembly.GetManifestResourceStream($"guests/{name}.wasm")
            ?? throw new InvalidOperationException($"the guest {name} is not embedded in {assembly.GetName().Name}; the project must import guest/Guests.targets");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
