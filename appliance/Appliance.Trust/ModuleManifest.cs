using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Appliance.Trust;

/// <summary>
/// What is signed: a small manifest kept beside the module (<c>FILE.wasm.manifest</c>), naming the module, its version,
/// the SHA-256 of its bytes, the WIT world it implements and the fingerprint of the key that signs it. The signature
/// (<c>FILE.wasm.sig</c>, 64 raw bytes of Ed25519, as <c>openssl pkeyutl -sign -rawin</c> writes) covers the manifest's
/// bytes exactly as stored; the manifest covers the module's bytes.
/// <code>{"name":"sensor-driver-demo","version":"1.4.0","sha256":"…","world":"ics:gateway/sensor-driver@0.1.0","key":"…"}</code>
/// </summary>
public sealed record ModuleManifest(string Name, ModuleVersion Version, string Sha256, string World, string Key)
{
    /// <summary>The largest manifest read.</summary>
    public const int MaxBytes = 4096;

    private static readonly string[] Keys = ["name", "version", "sha256", "world", "key"];

    /// <summary>The manifest as one line of JSON with its keys in a fixed order, and a newline.</summary>
    public byte[] ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name"u8, Name);
            json.WriteString("version"u8, Version.ToString());
            json.WriteString("sha256"u8, Sha256);
            json.WriteString("world"u8, World);
            json.WriteString("key"u8, Key);
            json.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>Reads a manifest: exactly the five keys, as strings, a version of dotted numbers, hex of the right lengths.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out ModuleManifest? manifest, out string problem)
    {
        manifest = null;
        if (bytes.Length > MaxBytes)
        {
            problem = $"the manifest is larger than {MaxBytes} bytes";
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes.ToArray());
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Count() != Keys.Length
                || Keys.Any(key => !root.TryGetProperty(key, out JsonElement value) || value.ValueKind != JsonValueKind.String))
            {
                problem = "the manifest must be an object with exactly the strings name, version, sha256, world and key";
                return false;
            }

            string Text(string key) => root.GetProperty(key).GetString()!;
            if (!ModuleVersion.TryParse(Text("version"), out ModuleVersion version))
            {
                problem = $"the version \"{Text("version")}\" is not dotted numbers like 1.4.0";
                return false;
            }

            if (!IsHex(Text("sha256"), 64) || !IsHex(Text("key"), 64))
            {
                problem = "sha256 and key must be 64 lowercase hex digits";
                return false;
            }

            manifest = new ModuleManifest(Text("name"), version, Text("sha256"), Text("world"), Text("key"));
            problem = "";
            return true;
        }
        catch (JsonException e)
        {
            problem = "the manifest is not JSON: " + e.Message;
            return false;
        }
    }

    private static bool IsHex(string text, int length) =>
        text.Length == length && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}

/// <summary>A module version: one to four dotted decimal numbers, compared number by number ("1.10" > "1.9").</summary>
public readonly record struct ModuleVersion(int Major, int Minor, int Patch, int Build) : IComparable<ModuleVersion>
{
    public static bool TryParse(string text, out ModuleVersion version)
    {
        version = default;
        string[] parts = text.Split('.');
        if (parts.Length is 0 or > 4)
        {
            return false;
        }

        int[] numbers = new int[4];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length is 0 or > 9 || !parts[i].All(char.IsAsciiDigit) || (parts[i].Length > 1 && parts[i][0] == '0')
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new ModuleVersion(numbers[0], numbers[1], numbers[2], numbers[3]);
        return true;
    }

    public int CompareTo(ModuleVersion other) =>
        (Major, Minor, Patch, Build).CompareTo((other.Major, other.Minor, other.Patch, other.Build));

    public static bool operator <(ModuleVersion left, ModuleVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ModuleVersion left, ModuleVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ModuleVersion left, ModuleVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ModuleVersion left, ModuleVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => Build != 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}.{Build}")
        : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
