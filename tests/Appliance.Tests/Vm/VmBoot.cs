using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Testing;

namespace Appliance.Tests.Vm;

/// <summary>
/// One boot of the test VM with one scenario (<c>tests/vm/boot</c>): the published appliance's folder shared at
/// <c>/mnt/appliance</c>, the scenario's folder at <c>/mnt/scenario</c>, and what came back over the serial console.
/// </summary>
internal sealed partial class VmBoot
{
    private readonly Dictionary<string, string> _results;

    private VmBoot(int exitCode, string console, string stderr, TimeSpan took)
    {
        ExitCode = exitCode;
        Console = console;
        Stderr = stderr;
        Took = took;
        _results = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match result in ResultLine().Matches(console))
        {
            Assert.False(_results.ContainsKey(result.Groups[1].Value), $"the scenario reported {result.Groups[1].Value} twice:\n{console}");
            _results[result.Groups[1].Value] = result.Groups[2].Value.TrimEnd('\r');
        }

        Match exit = ExitLine().Match(console);
        ScenarioExit = exit.Success ? int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>tests/vm/boot's exit code: QEMU's (0 after a power-off or a reset), 124 when the VM ran past its time.</summary>
    public int ExitCode { get; }

    /// <summary>Everything on the serial console: the kernel's messages, the scenario's lines.</summary>
    public string Console { get; }

    public string Stderr { get; }

    public TimeSpan Took { get; }

    /// <summary>The scenario's exit code from the "VM-EXIT" line init prints before it powers off; null when the VM reset instead.</summary>
    public int? ScenarioExit { get; }

    /// <summary>Whether softdog fired: the kernel said so, and the VM ended without powering off.</summary>
    public bool WasResetByWatchdog => SoftdogFired().IsMatch(Console) && ScenarioExit is null;

    /// <summary>The uptime at which softdog fired, from the kernel's timestamp on its message.</summary>
    public double SoftdogFiredAt => double.Parse(SoftdogFired().Match(Console).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>The value of the scenario's "VM-RESULT NAME VALUE" line; fails, showing the console, when there is none.</summary>
    public string this[string name] =>
        _results.TryGetValue(name, out string? value) ? value : throw new Xunit.Sdk.XunitException($"the scenario reported no {name}; the console:\n{Console}\n{Stderr}");

    public bool Has(string name) => _results.ContainsKey(name);

    /// <summary>
    /// Boots the VM with <paramref name="scenario"/> (the script run inside) and the files of <paramref name="files"/>
    /// beside it, and waits until it powers off or resets; longer than <paramref name="timeout"/> fails.
    /// </summary>
    public static async Task<VmBoot> RunAsync(string scenario, IReadOnlyDictionary<string, string> files, TimeSpan timeout)
    {
        using var directory = new TempDirectory();
        string script = Path.Combine(directory.Path, "scenario");
        File.Copy(scenario, script);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach ((string name, string content) in files)
        {
            directory.File(name, content);
        }

        string appliance = Path.GetDirectoryName(Path.GetFullPath(Product.Binary))!;
        return await BootAsync(["--share", "appliance=" + appliance, directory.Path], timeout);
    }

    /// <summary>
    /// Boots another system (<c>tests/vm/boot --system</c>): a folder with disk.img, a whole disk started by UEFI firmware
    /// through its own boot loader, such as an image from <c>image/build amd64</c>, which runs its own scenario. Longer than <paramref name="timeout"/> fails.
    /// </summary>
    public static async Task<VmBoot> RunSystemAsync(string system, TimeSpan timeout)
    {
        using var directory = new TempDirectory(); // the scenario folder the harness shares; the system has its own
        return await BootAsync(["--system", system, directory.Path], timeout);
    }

    private static async Task<VmBoot> BootAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        long started = Stopwatch.GetTimestamp();
        using ChildProcess boot = ChildProcess.Start(
            Path.Combine(VmSystem.Harness, "boot"),
            ["--timeout", ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture), .. arguments]);
        int code = await boot.WaitForExitAsync(timeout + TimeSpan.FromSeconds(30));
        var result = new VmBoot(code, boot.Stdout, boot.Stderr, Stopwatch.GetElapsedTime(started));
        Assert.True(code == 0, $"tests/vm/boot exited {code} (124: the VM ran past {timeout.TotalSeconds} s); the console:\n{result.Console}\n{result.Stderr}");
        return result;
    }

    // Not anchored at the line's start: on a system whose serial line also runs the console (the image), the console's
    // cursor and colour sequences may come just before a result line (each line is one write, so none comes inside it).
    [GeneratedRegex(@"VM-RESULT (\S+) ?(.*)$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    [GeneratedRegex(@"VM-EXIT (\d+) ", RegexOptions.Multiline)]
    private static partial Regex ExitLine();

    [GeneratedRegex(@"\[\s*(\d+\.\d+)\] softdog: Initiating system reboot")]
    private static partial Regex SoftdogFired();
}
