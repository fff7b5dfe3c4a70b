namespace Appliance.Guests;

/// <summary>
/// The WebAssembly guests compiled from <c>guest/</c> and embedded in this executable by
/// <c>guest/Guests.targets</c>, as resources named <c>guests/NAME.wasm</c>.
/// </summary>
internal static class EmbeddedGuests
{
    private const string Prefix = "guests/";
    private const string Suffix = ".wasm";

    public static IReadOnlyList<string> Names { get; } =
    [
        .. typeof(EmbeddedGuests).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(Suffix, StringComparison.Ordinal))
            .Select(name => name[Prefix.Length..^Suffix.Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The module's bytes, exactly as the compiler (rustc, or clang for a C guest) wrote them.</summary>
    public static byte[] Read(string name)
    {
        using Stream stream = typeof(EmbeddedGuests).Assembly.GetManifestResourceStream(Prefix + name + Suffix)
            ?? throw new KeyNotFoundException($"no built-in guest \"{name}\"");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The parser guests (every guest named <c>modbus-parser*</c>) by name, for the voting lanes.</summary>
    public static IReadOnlyDictionary<string, byte[]> Parsers() =>
        Names.Where(name => name.StartsWith("modbus-parser", StringComparison.Ordinal)).ToDictionary(name => name, Read, StringComparer.Ordinal);

    /// <summary>The driver guests (every guest named <c>sensor-driver*</c>) by name, for <c>[[driver]] module</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> Drivers() =>
        Names.Where(name => name.StartsWith("sensor-driver", StringComparison.Ordinal)).ToDictionary(name => name, Read, StringComparer.Ordinal);
}
