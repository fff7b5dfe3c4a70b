using System.Security.Cryptography;
using NSec.Cryptography;

namespace Appliance.Trust;

/// <summary>
/// Checks a module on disk before a byte of it is decoded: its signature file (64 bytes), the manifest it signs (by
/// a trusted key, the one the manifest names), the module's SHA-256 against the manifest, the name and world expected,
/// and a version no lower than the highest accepted for that name (then recorded). Every refusal is a
/// <see cref="ModuleRefusedException"/> saying which check failed.
/// </summary>
public sealed class ModuleVerifier
{
    private readonly Dictionary<string, PublicKey> _trusted;
    private readonly VersionStore? _versions;

    /// <param name="trusted">The public keys trusted to sign modules.</param>
    /// <param name="versions">Where accepted versions are kept; null checks no rollback (the command line's verify).</param>
    public ModuleVerifier(IEnumerable<PublicKey> trusted, VersionStore? versions)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        _trusted = trusted.ToDictionary(SigningKeys.Fingerprint, StringComparer.Ordinal);
        _versions = versions;
    }

    /// <summary>Verifies and returns the module's bytes (the ones hashed: read once) and its manifest.</summary>
    /// <param name="expectedName">The name the manifest must carry (the module file's name without .wasm by default).</param>
    /// <param name="expectedWorld">The world it must implement, or null for any.</param>
    /// <exception cref="ModuleRefusedException">A check failed.</exception>
    public (byte[] Module, ModuleManifest Manifest) Verify(string module, string? expectedWorld, string? expectedName = null)
    {
        string manifestPath = SignedModule.ManifestPath(module);
        string signaturePath = SignedModule.SignaturePath(module);
        if (!File.Exists(signaturePath) || !File.Exists(manifestPath))
        {
            throw new ModuleRefusedException(ModuleRefusal.Unsigned, $"{module} is not signed: {(File.Exists(manifestPath) ? signaturePath : manifestPath)} is missing");
        }

        byte[] signature = File.ReadAllBytes(signaturePath);
        if (signature.Length != 64)
        {
            throw new ModuleRefusedException(ModuleRefusal.MalformedSignature, $"{signaturePath} holds {signature.Length} bytes, not the 64 of an Ed25519 signature: stripped or truncated");
        }

        var manifestInfo = new FileInfo(manifestPath);
        if (manifestInfo.Length > ModuleManifest.MaxBytes)
        {
            throw new ModuleRefusedException(ModuleRefusal.MalformedManifest, $"{manifestPath} is larger than {ModuleManifest.MaxBytes} bytes");
        }

        byte[] manifestBytes = File.ReadAllBytes(manifestPath);
        if (!ModuleManifest.TryParse(manifestBytes, out ModuleManifest? manifest, out string problem))
        {
            throw new ModuleRefusedException(ModuleRefusal.MalformedManifest, $"{manifestPath}: {problem}");
        }

        if (!_trusted.TryGetValue(manifest!.Key, out PublicKey? key))
        {
            throw new ModuleRefusedException(ModuleRefusal.UntrustedKey, $"{module} is signed by key {manifest.Key[..16]}..., which is not trusted ([trust] keys)");
        }

        if (!SigningKeys.Verify(key, manifestBytes, signature))
        {
            throw new ModuleRefusedException(ModuleRefusal.BadSignature, $"the signature of {manifestPath} does not verify with key {manifest.Key[..16]}...: the manifest or the signature was altered");
        }

        byte[] bytes = File.ReadAllBytes(module);
        string hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (hash != manifest.Sha256)
        {
            throw new ModuleRefusedException(ModuleRefusal.HashMismatch, $"{module} has SHA-256 {hash[..16]}..., the manifest says {manifest.Sha256[..16]}...: the module was altered, or the manifest is another module's");
        }

        string name = expectedName ?? Path.GetFileNameWithoutExtension(module);
        if (manifest.Name != name || (expectedWorld is not null && manifest.World != expectedWorld))
        {
            throw new ModuleRefusedException(ModuleRefusal.WrongModule, $"{module}: the manifest is for {manifest.Name} of world {manifest.World}, not {name}{(expectedWorld is null ? "" : " of world " + expectedWorld)}");
        }

        if (_versions?.Highest(manifest.Name) is { } highest && manifest.Version < highest)
        {
            throw new ModuleRefusedException(ModuleRefusal.Rollback, $"{module} is version {manifest.Version} of {manifest.Name}; version {highest} was already accepted, and going back is refused");
        }

        _versions?.Accept(manifest.Name, manifest.Version);
        return (bytes, manifest);
    }
}
