using System.Security.Cryptography;
using System.Text;
using Appliance.Testing;
using NSec.Cryptography;

namespace Appliance.Trust.Tests;

/// <summary>
/// A module is run only when a trusted key signed its manifest and the manifest covers its bytes: each way a module can
/// be wrong is refused before it is decoded, with its own reason; and OpenSSL signs and verifies the same manifests.
/// </summary>
public sealed class ModuleVerifierTests : IDisposable
{
    private const string World = "ics:gateway/sensor-driver@0.1.0";

    private readonly TempDirectory _dir = new();
    private readonly string _keys;
    private readonly string _module;

    public ModuleVerifierTests()
    {
        _keys = Path.Combine(_dir.Path, "keys");
        SigningKeys.Generate(_keys);
        _module = _dir.File("vendor-driver.wasm", [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x42, 0x42]);
        SignedModule.Sign(_module, PrivateKey, ModuleVersion(1, 4, 0), World);
    }

    private string PrivateKey => Path.Combine(_keys, SigningKeys.PrivateFile);

    private string PublicKeyFile => Path.Combine(_keys, SigningKeys.PublicFile);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ASignedModuleIsAcceptedAndItsVersionRecorded()
    {
        VersionStore versions = VersionStore.Open(Path.Combine(_dir.Path, "versions.json"));

        (byte[] bytes, ModuleManifest manifest) = Verifier(versions).Verify(_module, World);

        Assert.Equal(File.ReadAllBytes(_module), bytes);
        Assert.Equal(("vendor-driver", "1.4.0"), (manifest.Name, manifest.Version.ToString()));
        Assert.Equal(ModuleVersion(1, 4, 0), VersionStore.Open(versions.Path).Highest("vendor-driver"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PrivateKey));
    }

    [Fact]
    public void NoSignatureIsRefused()
    {
        File.Delete(SignedModule.SignaturePath(_module));

        Assert.Equal(ModuleRefusal.Unsigned, Refusal());
    }

    [Fact]
    public void NoManifestIsRefused()
    {
        File.Delete(SignedModule.ManifestPath(_module));

        Assert.Equal(ModuleRefusal.Unsigned, Refusal());
    }

    [Theory]
    [InlineData(0)]   // stripped
    [InlineData(63)]  // truncated
    [InlineData(65)]  // something appended
    public void ASignatureOfTheWrongLengthIsRefused(int length)
    {
        byte[] signature = File.ReadAllBytes(SignedModule.SignaturePath(_module));
        byte[] written = [.. signature, 0];
        File.WriteAllBytes(SignedModule.SignaturePath(_module), written[..length]);

        Assert.Equal(ModuleRefusal.MalformedSignature, Refusal());
    }

    [Fact]
    public void AFlippedBitInTheModuleIsRefused()
    {
        byte[] bytes = File.ReadAllBytes(_module);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(_module, bytes);

        Assert.Equal(ModuleRefusal.HashMismatch, Refusal());
    }

    [Fact]
    public void AFlippedBitInTheManifestIsRefused()
    {
        string path = SignedModule.ManifestPath(_module);
        byte[] bytes = File.ReadAllBytes(path);
        int at = Encoding.UTF8.GetString(bytes).IndexOf("1.4.0", StringComparison.Ordinal) + 2;
        bytes[at] ^= 0x01; // '4' becomes '5': version 1.5.0, still a valid manifest
        File.WriteAllBytes(path, bytes);

        Assert.Equal(ModuleRefusal.BadSignature, Refusal());
    }

    [Fact]
    public void AFlippedBitInTheSignatureIsRefused()
    {
        string path = SignedModule.SignaturePath(_module);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[10] ^= 0x80;
        File.WriteAllBytes(path, bytes);

        Assert.Equal(ModuleRefusal.BadSignature, Refusal());
    }

    [Fact]
    public void ASignatureByAnUntrustedKeyIsRefused()
    {
        string other = Path.Combine(_dir.Path, "other-keys");
        SigningKeys.Generate(other);
        SignedModule.Sign(_module, Path.Combine(other, SigningKeys.PrivateFile), ModuleVersion(1, 4, 0), World);

        Assert.Equal(ModuleRefusal.UntrustedKey, Refusal());
    }

    [Fact]
    public void TheManifestOfAnotherModuleIsRefused()
    {
        string other = _dir.File("vendor-driver-2.wasm", [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);
        File.Copy(SignedModule.ManifestPath(_module), SignedModule.ManifestPath(other));
        File.Copy(SignedModule.SignaturePath(_module), SignedModule.SignaturePath(other));

        Assert.Equal(ModuleRefusal.HashMismatch, Assert.Throws<ModuleRefusedException>(() => Verifier(null).Verify(other, World)).Reason);
    }

    [Fact]
    public void AModuleSignedForAnotherNameOrWorldIsRefused()
    {
        SignedModule.Sign(_module, PrivateKey, ModuleVersion(1, 4, 0), World, name: "modbus-parser");
        Assert.Equal(ModuleRefusal.WrongModule, Refusal());

        SignedModule.Sign(_module, PrivateKey, ModuleVersion(1, 4, 0), "ics:gateway/modbus-sandbox@0.1.0");
        Assert.Equal(ModuleRefusal.WrongModule, Refusal());
    }

    [Fact]
    public void AnOlderVersionThanOneAcceptedIsRefusedAcrossRestarts()
    {
        string store = Path.Combine(_dir.Path, "versions.json");
        Verifier(VersionStore.Open(store)).Verify(_module, World);
        SignedModule.Sign(_module, PrivateKey, ModuleVersion(1, 3, 9), World);

        // A new store object from the same file: what a reboot sees.
        ModuleRefusedException refused = Assert.Throws<ModuleRefusedException>(() => Verifier(VersionStore.Open(store)).Verify(_module, World));

        Assert.Equal(ModuleRefusal.Rollback, refused.Reason);
        Assert.Contains("version 1.3.9 of vendor-driver; version 1.4.0 was already accepted", refused.Message, StringComparison.Ordinal);
        SignedModule.Sign(_module, PrivateKey, ModuleVersion(1, 4, 0), World);
        Verifier(VersionStore.Open(store)).Verify(_module, World); // the same version again is fine
        SignedModule.Sign(_module, PrivateKey, ModuleVersion(1, 10, 0), World);
        Verifier(VersionStore.Open(store)).Verify(_module, World); // 1.10 > 1.4: numbers, not text
        Assert.Equal(ModuleVersion(1, 10, 0), VersionStore.Open(store).Highest("vendor-driver"));
    }

    [Fact]
    public void AManifestThatIsNotOursIsRefused()
    {
        File.WriteAllText(SignedModule.ManifestPath(_module), "{\"name\":\"vendor-driver\"}");

        Assert.Equal(ModuleRefusal.MalformedManifest, Refusal());
    }

    [Fact]
    public async Task OpenSslSignsManifestsWeVerifyAndVerifiesSignaturesWeMake()
    {
        string pem = Path.Combine(_dir.Path, "openssl.pem");
        string pub = Path.Combine(_dir.Path, "openssl.pub");
        Assert.Equal(0, (await ChildProcess.RunAsync("openssl", "genpkey", "-algorithm", "ed25519", "-out", pem)).ExitCode);
        Assert.Equal(0, (await ChildProcess.RunAsync("openssl", "pkey", "-in", pem, "-pubout", "-out", pub)).ExitCode);
        PublicKey opensslKey = SigningKeys.LoadPublic(pub);
        var manifest = new ModuleManifest("vendor-driver", ModuleVersion(2, 0, 0), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_module))), World, SigningKeys.Fingerprint(opensslKey));
        File.WriteAllBytes(SignedModule.ManifestPath(_module), manifest.ToBytes());

        (int signed, _, string signError) = await ChildProcess.RunAsync("openssl", "pkeyutl", "-sign", "-rawin", "-inkey", pem, "-in", SignedModule.ManifestPath(_module), "-out", SignedModule.SignaturePath(_module));

        Assert.True(signed == 0, signError);
        Assert.Equal(ModuleVersion(2, 0, 0), new ModuleVerifier([opensslKey], null).Verify(_module, World).Manifest.Version);

        // The other way round: our signature, checked by OpenSSL with our public key file.
        SignedModule.Sign(_module, PrivateKey, ModuleVersion(2, 0, 1), World);
        (int verified, string said, string verifyError) = await ChildProcess.RunAsync("openssl", "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", PublicKeyFile, "-in", SignedModule.ManifestPath(_module), "-sigfile", SignedModule.SignaturePath(_module));
        Assert.True(verified == 0, said + verifyError);
        Assert.Contains("Signature Verified Successfully", said, StringComparison.Ordinal);
    }

    private ModuleRefusal Refusal() =>
        Assert.Throws<ModuleRefusedException>(() => Verifier(null).Verify(_module, World)).Reason;

    private ModuleVerifier Verifier(VersionStore? versions) => new([SigningKeys.LoadPublic(PublicKeyFile)], versions);

    private static ModuleVersion ModuleVersion(int major, int minor, int patch) => new(major, minor, patch, 0);
}
