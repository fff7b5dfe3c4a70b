using Appliance.Drivers.Audit;

namespace Appliance.Cli;

/// <summary><c>appliance audit verify FILE...</c>: checks the audit log's hash chain.</summary>
internal static class AuditVerbs
{
    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        const string Usage = "appliance audit verify FILE... (rotated files oldest first: FILE.2 FILE.1 FILE)";
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("an audit command (verify)");
        if (command != "verify")
        {
            throw new UsageException($"unknown audit command \"{command}\"; usage: {Usage}");
        }

        var files = new List<string> { arguments.Positional("the audit log FILE") };
        while (args.Length > files.Count + 1)
        {
            files.Add(arguments.Positional("FILE"));
        }

        arguments.End();
        AuditVerification verified = AuditVerifier.Verify(files);
        if (!verified.Intact)
        {
            foreach (string problem in verified.Problems)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            await error.WriteLineAsync($"the audit log is NOT intact: {ConfigVerbs.Count(verified.Problems.Count, "break")} in {ConfigVerbs.Count((int)verified.Lines, "line")}").ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }

        await output.WriteLineAsync($"{string.Join(" ", files)}: intact, {ConfigVerbs.Count((int)verified.Lines, "line")}, sequence {verified.FirstSequence} to {verified.LastSequence}").ConfigureAwait(false);
        return ExitCode.Ok;
    }
}
