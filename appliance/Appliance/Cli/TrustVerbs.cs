using Appliance.Trust;

namespace Appliance.Cli;

/// <summary>
/// <c>appliance key generate DIR</c>, <c>appliance sign --key KEY --version V [--world W] [--name N] FILE</c> and
/// <c>appliance verify --trust PUBKEY [--world W] FILE</c>: the keys and signatures of WebAssembly modules.
/// </summary>
internal static class TrustVerbs
{
    public static async Task<ExitCode> KeyAsync(string[] args, TextWriter output)
    {
        const string Usage = "appliance key generate DIR";
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("a key command (generate)");
        if (command != "generate")
        {
            throw new UsageException($"unknown key command \"{command}\"; usage: {Usage}");
        }

        string directory = arguments.Positional("the DIR to write the key pair into");
        arguments.End();
        string fingerprint = SigningKeys.Generate(directory);
        await output.WriteLineAsync($"{Path.Combine(directory, SigningKeys.PrivateFile)} (private, mode 0600: keep it off the appliance) and {Path.Combine(directory, SigningKeys.PublicFile)} (public: list it in [trust] keys); fingerprint {fingerprint}").ConfigureAwait(false);
        return ExitCode.Ok;
    }

    public static async Task<ExitCode> SignAsync(string[] args, TextWriter output)
    {
        const string Usage = "appliance sign --key KEY --version V [--world W] [--name N] FILE.wasm";
        var arguments = new Arguments(args, Usage);
        string key = arguments.Option("--key") ?? throw new UsageException($"sign needs --key KEY; usage: {Usage}");
        string versionText = arguments.Option("--version") ?? throw new UsageException($"sign needs --version V (dotted numbers, like 1.4.0); usage: {Usage}");
        string world = arguments.Option("--world") ?? Gateway.Drivers.DriverSet.DriverWorld;
        string? name = arguments.Option("--name");
        string module = arguments.Positional("the module FILE.wasm");
        arguments.End();
        if (!ModuleVersion.TryParse(versionText, out ModuleVersion version))
        {
            throw new UsageException($"--version \"{versionText}\" is not dotted numbers like 1.4.0; usage: {Usage}");
        }

        ModuleManifest manifest = SignedModule.Sign(module, key, version, world, name);
        await output.WriteLineAsync($"{SignedModule.ManifestPath(module)} and {SignedModule.SignaturePath(module)}: {manifest.Name} {manifest.Version}, world {manifest.World}, sha256 {manifest.Sha256}, key {manifest.Key}").ConfigureAwait(false);
        return ExitCode.Ok;
    }

    public static async Task<ExitCode> VerifyAsync(string[] args, TextWriter output, TextWriter error)
    {
        const string Usage = "appliance verify --trust PUBKEY [--trust PUBKEY...] [--world W] [--name N] FILE.wasm";
        var arguments = new Arguments(args, Usage);
        var trusted = new List<string>();
        while (arguments.Option("--trust") is string key)
        {
            trusted.Add(key);
        }

        if (trusted.Count == 0)
        {
            throw new UsageException($"verify needs --trust PUBKEY; usage: {Usage}");
        }

        string? world = arguments.Option("--world");
        string? name = arguments.Option("--name");
        string module = arguments.Positional("the module FILE.wasm");
        arguments.End();
        try
        {
            ModuleManifest manifest = new ModuleVerifier(trusted.Select(SigningKeys.LoadPublic), versions: null).Verify(module, world, name).Manifest;
            await output.WriteLineAsync($"{module}: verified: {manifest.Name} {manifest.Version}, world {manifest.World}, signed by {manifest.Key}").ConfigureAwait(false);
            return ExitCode.Ok;
        }
        catch (ModuleRefusedException refused)
        {
            await error.WriteLineAsync($"appliance: refused ({refused.Reason}): {refused.Message}").ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }
    }
}
