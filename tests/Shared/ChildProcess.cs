using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Appliance.Testing;

/// <summary>
/// A program the tests start: the product binary or a real peer. Output is captured line by line, so a
/// test waits for the line it needs (never for a fixed time), and the process is killed by its id when
/// the test ends.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly BlockingCollection<string> _stderrLines = [];
    private readonly BlockingCollection<string> _stdoutLines = [];
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private ChildProcess(string program, IEnumerable<string> arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                _stdoutLines.CompleteAdding();
                return;
            }

            lock (_gate)
            {
                _stdout.Append(line.Data).Append('\n');
            }

            _stdoutLines.Add(line.Data);
        };
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                _stderrLines.CompleteAdding();
                return;
            }

            lock (_gate)
            {
                _stderr.Append(line.Data).Append('\n');
            }

            _stderrLines.Add(line.Data);
        };
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public static ChildProcess Start(string program, IEnumerable<string> arguments, string? workingDirectory = null) =>
        new(program, arguments, workingDirectory);

    /// <summary>Runs a program to its end and returns its exit code and output; a hang fails the test.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, params string[] arguments)
    {
        using ChildProcess child = Start(program, arguments);
        int code = await child.WaitForExitAsync(DefaultTimeout);
        return (code, child.Stdout, child.Stderr);
    }

    /// <summary>Waits until stderr has a line containing <paramref name="text"/>; fails if the process ends or the timeout passes first.</summary>
    public string WaitForStderrLine(string text, TimeSpan? timeout = null) => WaitForLine(_stderrLines, "stderr", text, timeout);

    /// <summary>Waits until stdout has a line containing <paramref name="text"/>; lines before it are consumed.</summary>
    public string WaitForStdoutLine(string text, TimeSpan? timeout = null) => WaitForLine(_stdoutLines, "stdout", text, timeout);

    /// <summary>The next stdout line, waiting for it; null when stdout has ended.</summary>
    public string? ReadStdoutLine(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return _stdoutLines.TryTake(out string? line, Timeout.Infinite, deadline.Token) ? line : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no stdout line in time; stderr so far:\n{Stderr}");
        }
    }

    private string WaitForLine(BlockingCollection<string> lines, string stream, string text, TimeSpan? timeout)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            foreach (string line in lines.GetConsumingEnumerable(deadline.Token))
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {stream} line with \"{text}\" in time; stderr so far:\n{Stderr}");
        }

        throw new InvalidOperationException($"the process ended without a {stream} line containing \"{text}\"; stderr:\n{Stderr}");
    }

    public void Signal(int signal)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit in time; stderr:\n{Stderr}");
        }

        _process.WaitForExit(); // drains the asynchronous readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        _process.Dispose();
        _stderrLines.Dispose();
        _stdoutLines.Dispose();
    }
}
