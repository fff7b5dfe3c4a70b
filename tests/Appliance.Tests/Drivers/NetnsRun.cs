using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Drivers;

/// <summary>
/// One run of the published appliance with the attacker driver inside a network namespace made for it
/// (netns-run.sh: the plant and cloud addresses on the namespace's loopback, listeners on them, no route out), and
/// what it left: the listeners' bytes, the telemetry, the log, the audit log, and the attacker's own account of every
/// attack it made (its log lines "exfil TARGET: RESULT", "path P: RESULT", "dir P: RESULT", "huge big: RESULT").
/// </summary>
internal sealed class NetnsRun
{
    private NetnsRun(string directory)
    {
        Received = Directory.GetFiles(Path.Combine(directory, "received"), "*.bin")
            .ToDictionary(file => Path.GetFileNameWithoutExtension(file), File.ReadAllBytes);
        Assert.Equal(4, Received.Count);
        Stdout = File.ReadAllText(Path.Combine(directory, "stdout.txt"));
        Stderr = File.ReadAllText(Path.Combine(directory, "stderr.txt"));
        string audit = Path.Combine(directory, "audit.log");
        Audit = File.Exists(audit) ? [.. File.ReadAllLines(audit).Select(line => JsonDocument.Parse(line).RootElement.Clone())] : [];
        Readings = [.. Stdout.Split('\n')
            .Where(line => line.StartsWith("appliance/gateway-01/attacker/driver ", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]).RootElement.Clone())];
        const string Said = "driver attacker: ";
        foreach (string line in Stderr.Split('\n'))
        {
            int at = line.IndexOf(Said, StringComparison.Ordinal);
            int colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            if (at >= 0 && colon > at + Said.Length)
            {
                Attacks.TryAdd(line[(at + Said.Length)..colon], line[(colon + 2)..]);
            }
        }
    }

    public Dictionary<string, byte[]> Received { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public IReadOnlyList<JsonElement> Audit { get; }

    public IReadOnlyList<JsonElement> Readings { get; }

    /// <summary>What the attacker said of each attack in its first poll: "exfil 10.0.0.66:443" → "denied".</summary>
    public Dictionary<string, string> Attacks { get; } = new(StringComparer.Ordinal);

    /// <summary>Prepares the sensor root: the pressure, a big file, a secret outside, links out, in and to /proc/self.</summary>
    public static void PrepareRoot(string directory)
    {
        string root = Path.Combine(directory, "sensors");
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "pressure"), "4.25\n");
        File.WriteAllBytes(Path.Combine(root, "big"), new byte[1 << 20]);
        File.WriteAllText(Path.Combine(directory, "secret"), "SECRET");
        File.CreateSymbolicLink(Path.Combine(root, "link-out"), Path.Combine(directory, "secret"));
        File.CreateSymbolicLink(Path.Combine(root, "link-in"), Path.Combine(root, "pressure"));
        Directory.CreateSymbolicLink(Path.Combine(root, "proc-self"), "/proc/self");
    }

    public static string Config(string directory, string mode, bool allowBreach) => $"""
        [drivers]
        mode = "{mode}"
        allow_breach = {(allowBreach ? "true" : "false")}
        allowlist = ["10.0.0.50:502"]
        audit_log = "{Path.Combine(directory, "audit.log")}"
        mode_state = "{Path.Combine(directory, "policy-mode")}"

        [[driver]]
        name = "attacker"
        module = "sensor-driver-attacker"
        root = "{Path.Combine(directory, "sensors")}"
        interval = "1s"
        """;

    /// <summary>Runs the appliance in a new namespace for 2.6 s (and 2.6 s more after a SIGHUP with <paramref name="switchTo"/>).</summary>
    public static async Task<NetnsRun> RunAsync(string directory, string mode, bool allowBreach = false, string? switchTo = null)
    {
        string config = Path.Combine(directory, "appliance.toml");
        await File.WriteAllTextAsync(config, Config(directory, mode, allowBreach));
        string script = Path.Combine(Repository.Root, "tests/Appliance.Tests/Drivers/netns-run.sh");
        string[] arguments = ["--net", "--", script, directory, Product.Binary, config, "2.6", .. switchTo is null ? Array.Empty<string>() : [switchTo]];
        (int code, _, string stderr) = await ChildProcess.RunAsync("unshare", arguments);
        Assert.True(code == 0, $"the namespace run failed ({code}): {stderr}");
        Assert.Equal("0", File.ReadAllText(Path.Combine(directory, "exit")).Trim());
        return new NetnsRun(directory);
    }

    public double Last(string name)
    {
        Assert.True(Readings.Count >= 2, $"the attacker published {Readings.Count} messages:\n{Stdout}\n{Stderr}");
        JsonElement last = Readings[^1];
        Assert.Equal("good", last.GetProperty("quality").GetString());
        return last.GetProperty("values").GetProperty(name).GetDouble();
    }

    public void AssertDenied(string call, IEnumerable<string> targets)
    {
        foreach (string target in targets)
        {
            Assert.True(
                Audit.Any(line => line.GetProperty("event").GetString() == "denied" && line.GetProperty("call").GetString() == call && line.GetProperty("target").GetString() == target),
                $"no audit line denies {call} {target}");
        }
    }

    public void AssertNotDenied(string call, string target) =>
        Assert.DoesNotContain(Audit, line => line.TryGetProperty("call", out JsonElement c) && c.GetString() == call && line.GetProperty("target").GetString() == target);
}

/// <summary>One run per policy mode, made once for the test class that shares it.</summary>
public sealed class ModeRuns : IDisposable
{
    private readonly Dictionary<string, (TempDirectory Directory, Lazy<Task<NetnsRun>> Run)> _runs = new(StringComparer.Ordinal);

    public ModeRuns()
    {
        foreach (string mode in (string[])["data-diode", "secure-channel", "lockdown", "breach"])
        {
            var directory = new TempDirectory();
            NetnsRun.PrepareRoot(directory.Path);
            _runs[mode] = (directory, new Lazy<Task<NetnsRun>>(() => NetnsRun.RunAsync(directory.Path, mode, allowBreach: mode == "breach")));
        }
    }

    internal Task<NetnsRun> Of(string mode) => _runs[mode].Run.Value;

    public void Dispose()
    {
        foreach ((TempDirectory directory, _) in _runs.Values)
        {
            directory.Dispose();
        }
    }
}
