using System.Security.Cryptography;
using NSec.Cryptography;

namespace Appliance.Trust;

/// <summary>
/// Ed25519 keys in the PEM files OpenSSL reads and writes: the private key as PKCS#8 (<c>BEGIN PRIVATE KEY</c>, mode
/// 0600), the public key as SubjectPublicKeyInfo (<c>BEGIN PUBLIC KEY</c>). A key is named by its fingerprint, the
/// SHA-256 of its 32 raw public bytes in hex.
/// </summary>
public static class SigningKeys
{
    public const string PrivateFile = "signing.key";
    public const string PublicFile = "signing.pub";

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    /// <summary>Writes a new key pair into <paramref name="directory"/>; refuses to overwrite one.</summary>
    /// <returns>The public key's fingerprint.</returns>
    public static string Generate(string directory)
    {
        Directory.CreateDirectory(directory);
        string privatePath = Path.Combine(directory, PrivateFile);
        string publicPath = Path.Combine(directory, PublicFile);
        if (File.Exists(privatePath) || File.Exists(publicPath))
        {
            throw new IOException($"{directory} already holds a key pair; a key is never overwritten");
        }

        using var key = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // created so, never readable by others
        }

        using (var file = new FileStream(privatePath, options))
        {
            file.Write(key.Export(KeyBlobFormat.PkixPrivateKeyText));
        }

        File.WriteAllBytes(publicPath, key.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText));
        return Fingerprint(key.PublicKey);
    }

    /// <exception cref="IOException">The file does not hold an Ed25519 private key in PEM.</exception>
    public static Key LoadPrivate(string path)
    {
        byte[] text = File.ReadAllBytes(path);
        return Key.TryImport(Ed25519, text, KeyBlobFormat.PkixPrivateKeyText, out Key? key, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None })
            ? key!
            : throw new IOException($"{path} does not hold an Ed25519 private key in PEM (BEGIN PRIVATE KEY)");
    }

    /// <exception cref="IOException">The file does not hold an Ed25519 public key in PEM.</exception>
    public static PublicKey LoadPublic(string path)
    {
        byte[] text = File.ReadAllBytes(path);
        return PublicKey.TryImport(Ed25519, text, KeyBlobFormat.PkixPublicKeyText, out PublicKey? key)
            ? key!
            : throw new IOException($"{path} does not hold an Ed25519 public key in PEM (BEGIN PUBLIC KEY)");
    }

    public static string Fingerprint(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.Export(KeyBlobFormat.RawPublicKey)));
    }

    public static byte[] Sign(Key key, ReadOnlySpan<byte> data) => Ed25519.Sign(key, data);

    public static bool Verify(PublicKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519.SignatureSize && Ed25519.Verify(key, data, signature);
}
