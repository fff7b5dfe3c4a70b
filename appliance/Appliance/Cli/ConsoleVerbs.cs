using Appliance.Console;

namespace Appliance.Cli;

/// <summary>
/// <c>appliance console [--socket PATH | --config FILE]</c>: the full-screen console (Appliance.Console) on this
/// terminal, attached to the running daemon through its control socket, found here (the library does not read the
/// configuration).
/// </summary>
internal static class ConsoleVerbs
{
    private const string Usage = "appliance console [--socket PATH | --config FILE]";

    public static Task<ExitCode> RunAsync(string[] args)
    {
        var arguments = new Arguments(args, Usage);
        string socket = ControlVerbs.SocketPath(arguments);
        arguments.End();
        if (System.Console.IsInputRedirected || System.Console.IsOutputRedirected)
        {
            throw new UsageException($"the console draws on a terminal: start it on one (the VT, a serial line, a terminal window); usage: {Usage}");
        }

        return Task.FromResult(ConsoleApp.Run(socket) == 0 ? ExitCode.Ok : ExitCode.RuntimeFailure);
    }
}
