using System.Security.Cryptography;

namespace Appliance.Trust;

/// <summary>The three files of a signed module: <c>FILE.wasm</c>, <c>FILE.wasm.manifest</c>, <c>FILE.wasm.sig</c>.</summary>
public static class SignedModule
{
    public static string ManifestPath(string module) => module + ".manifest";

    public static string SignaturePath(string module) => module + ".sig";

    /// <summary>Writes the manifest and its signature beside <paramref name="module"/>; returns the manifest.</summary>
    /// <param name="name">The module's name; by default its file name without .wasm.</param>
    public static ModuleManifest Sign(string module, string keyPath, ModuleVersion version, string world, string? name = null)
    {
        byte[] bytes = File.ReadAllBytes(module);
        using NSec.Cryptography.Key key = SigningKeys.LoadPrivate(keyPath);
        var manifest = new ModuleManifest(
            name ?? Path.GetFileNameWithoutExtension(module),
            version,
            Convert.ToHexStringLower(SHA256.HashData(bytes)),
            world,
            SigningKeys.Fingerprint(key.PublicKey));
        byte[] text = manifest.ToBytes();
        File.WriteAllBytes(ManifestPath(module), text);
        File.WriteAllBytes(SignaturePath(module), SigningKeys.Sign(key, text));
        return manifest;
    }
}
