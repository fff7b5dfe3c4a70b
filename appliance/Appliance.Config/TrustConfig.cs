namespace Appliance.Config;

/// <summary>
/// <c>[trust]</c>: which keys may sign the WebAssembly modules the appliance loads from disk (the guests built into the
/// executable are covered by the executable itself), and where the highest accepted version of each is kept.
/// </summary>
/// <param name="Keys">Ed25519 public keys in PEM (<c>appliance key generate</c>, or OpenSSL), full paths.</param>
/// <param name="Versions">The file of the highest version accepted per module (on the data partition).</param>
public sealed record TrustConfig(IReadOnlyList<string> Keys, string Versions)
{
    public static TrustConfig Default { get; } = new([], "/var/lib/appliance/module-versions.json");
}
