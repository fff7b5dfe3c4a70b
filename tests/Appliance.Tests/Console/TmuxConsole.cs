using System.Diagnostics;
using System.Globalization;
using Appliance.Testing;

namespace Appliance.Tests.Console;

/// <summary>
/// The published console in a tmux pane of exactly 80x24 with a given TERM, on a tmux server of its own (a private
/// socket in the test's directory, so tests never share one): keys go in with send-keys, the screen comes out with
/// capture-pane, and the bytes the console writes to its terminal can be counted with pipe-pane. The server is
/// stopped by its process id.
/// </summary>
internal sealed class TmuxConsole : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _socket;

    public TmuxConsole(string directory, string term, string controlSocket, string name = "console")
    {
        _socket = Path.Combine(directory, $"tmux-{name}.sock");
        Term = term;
        Run("new-session", "-d", "-s", name, "-x", "80", "-y", "24",
            $"exec env TERM={term} '{Product.Binary}' console --socket '{controlSocket}'");
        Run("set-option", "-g", "remain-on-exit", "on");
        ServerPid = int.Parse(Run("display-message", "-p", "#{pid}").Trim(), CultureInfo.InvariantCulture);
        ConsolePid = int.Parse(Run("display-message", "-p", "#{pane_pid}").Trim(), CultureInfo.InvariantCulture);
    }

    public string Term { get; }

    /// <summary>The console's own process (the pane runs it directly).</summary>
    public int ConsolePid { get; }

    public int ServerPid { get; }

    /// <summary>What the pane shows now: 24 lines.</summary>
    public string Capture() => Run("capture-pane", "-p");

    /// <summary>Keys as tmux names them ("4", "Enter", "F3", "Escape") or literal text with <paramref name="literal"/>.</summary>
    public void Send(string keys, bool literal = false)
    {
        if (literal)
        {
            Run("send-keys", "-l", keys);
        }
        else
        {
            Run("send-keys", keys);
        }
    }

    /// <summary>Waits until the screen satisfies <paramref name="condition"/>; fails with the last screen after the deadline.</summary>
    public string WaitFor(Func<string, bool> condition, string what, TimeSpan? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        string screen = "";
        while (clock.Elapsed < (deadline ?? Deadline))
        {
            screen = Capture();
            if (condition(screen))
            {
                return screen;
            }

            Thread.Sleep(100); // polling the pane: the condition, not the pause, decides
        }

        throw new TimeoutException($"the console ({Term}) did not show {what} within {(deadline ?? Deadline).TotalSeconds} s; its screen:\n{screen}");
    }

    public string WaitFor(string text, TimeSpan? deadline = null) =>
        WaitFor(screen => screen.Contains(text, StringComparison.Ordinal), $"\"{text}\"", deadline);

    /// <summary>Starts appending everything the console writes to its terminal to <paramref name="file"/>.</summary>
    public void StartCounting(string file) => Run("pipe-pane", "-o", $"cat >> '{file}'");

    public void StopCounting() => Run("pipe-pane");

    /// <summary>Sends a signal to the console's process (9: killed, as a crash would end it).</summary>
    public void Signal(int signal)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", ConsolePid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Whether the pane's program has ended (remain-on-exit keeps the pane).</summary>
    public bool PaneDead => Run("display-message", "-p", "#{pane_dead}").Trim() == "1";

    public void Dispose()
    {
        try
        {
            Process.GetProcessById(ConsolePid).Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }

        try
        {
            using Process server = Process.GetProcessById(ServerPid);
            server.Kill();
            server.WaitForExit(5000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }

        File.Delete(_socket);
    }

    private string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-S");
        start.ArgumentList.Add(_socket);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process tmux = Process.Start(start)!;
        string output = tmux.StandardOutput.ReadToEnd();
        string error = tmux.StandardError.ReadToEnd();
        tmux.WaitForExit();
        Assert.True(tmux.ExitCode == 0, $"tmux {string.Join(' ', arguments)}: {error}");
        return output;
    }
}
