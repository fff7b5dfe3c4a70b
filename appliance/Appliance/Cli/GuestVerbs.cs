using System.Security.Cryptography;
using Appliance.Guests;

namespace Appliance.Cli;

/// <summary><c>appliance guest list</c> and <c>appliance guest export NAME FILE</c>: the WebAssembly guests this binary carries.</summary>
internal static class GuestVerbs
{
    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output)
    {
        const string Usage = "appliance guest list | appliance guest export NAME FILE";
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("a guest command (list or export)");
        switch (command)
        {
            case "list":
                arguments.End();
                foreach (string name in EmbeddedGuests.Names)
                {
                    byte[] module = EmbeddedGuests.Read(name);
                    await output.WriteLineAsync($"{name}\t{module.Length} bytes\tsha256:{Convert.ToHexStringLower(SHA256.HashData(module))}").ConfigureAwait(false);
                }

                return ExitCode.Ok;
            case "export":
                string guest = arguments.Positional("the guest NAME");
                string file = arguments.Positional("the output FILE");
                arguments.End();
                if (!EmbeddedGuests.Names.Contains(guest))
                {
                    throw new UsageException($"no built-in guest \"{guest}\"; the guests are: {string.Join(", ", EmbeddedGuests.Names)}");
                }

                await File.WriteAllBytesAsync(file, EmbeddedGuests.Read(guest)).ConfigureAwait(false);
                return ExitCode.Ok;
            default:
                throw new UsageException($"unknown guest command \"{command}\"; usage: {Usage}");
        }
    }
}
