using System.Text.Json;

namespace Appliance.Trust;

/// <summary>
/// The highest version accepted per module name, in a small JSON file on the data partition
/// (<c>{"sensor-driver-demo":"1.4.0"}</c>), written atomically (a temporary file flushed to disk, then renamed), so
/// that neither a reboot nor a power cut in the middle lets an older version back in.
/// </summary>
public sealed class VersionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ModuleVersion> _highest;

    private VersionStore(string path, Dictionary<string, ModuleVersion> highest)
    {
        Path = path;
        _highest = highest;
    }

    public string Path { get; }

    /// <exception cref="IOException">The file exists but is not a version store (it is never silently reset).</exception>
    public static VersionStore Open(string path)
    {
        var highest = new Dictionary<string, ModuleVersion>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
                foreach (JsonProperty entry in document.RootElement.EnumerateObject())
                {
                    highest[entry.Name] = ModuleVersion.TryParse(entry.Value.GetString() ?? "", out ModuleVersion version)
                        ? version
                        : throw new IOException($"{path}: the version of {entry.Name} is not dotted numbers");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw new IOException($"{path} is not a module version store: {e.Message}", e);
            }
        }

        return new VersionStore(path, highest);
    }

    public ModuleVersion? Highest(string name)
    {
        lock (_lock)
        {
            return _highest.TryGetValue(name, out ModuleVersion version) ? version : null;
        }
    }

    /// <summary>Records <paramref name="version"/> as accepted if it is the highest so far (on disk before it returns).</summary>
    public void Accept(string name, ModuleVersion version)
    {
        lock (_lock)
        {
            if (_highest.TryGetValue(name, out ModuleVersion known) && known >= version)
            {
                return;
            }

            _highest[name] = version;
            AtomicFile.Write(Path, file =>
            {
                using var json = new Utf8JsonWriter(file);
                json.WriteStartObject();
                foreach ((string key, ModuleVersion value) in _highest.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value.ToString());
                }

                json.WriteEndObject();
            });
        }
    }
}
