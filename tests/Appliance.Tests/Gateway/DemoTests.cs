using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Testing;

namespace Appliance.Tests.Gateway;

/// <summary><c>appliance demo</c> (what scripts/run starts) against a real mosquitto: the whole path, live.</summary>
public sealed partial class DemoTests
{
    [Fact]
    public async Task TheDemoPollsTheSimulatorUnderAttackVotesAndReadsItsTelemetryBackFromTheBroker()
    {
        using Mosquitto broker = Mosquitto.Start();

        (int code, string stdout, string stderr) = await ChildProcess.RunAsync(
            Product.Binary, "demo", "--broker", $"mqtt://127.0.0.1:{broker.Port.ToString(CultureInfo.InvariantCulture)}", "--attack-rate", "0.3", "--duration", "00:00:05");

        Assert.True(code == 0, stderr);
        string last = stdout[stdout.LastIndexOf("── appliance demo", StringComparison.Ordinal)..];
        Match polls = Polls().Match(last);
        Match received = Received().Match(last);
        Assert.True(polls.Success && received.Success, last);
        Assert.True(int.Parse(polls.Groups[1].Value, CultureInfo.InvariantCulture) > 5, last);
        Assert.True(int.Parse(received.Groups[1].Value, CultureInfo.InvariantCulture) > 5, last);
        Assert.Contains("\"quality\":", last, StringComparison.Ordinal);
        Assert.Contains("unanimous", last, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"polls\s+(\d+) \(")]
    private static partial Regex Polls();

    [GeneratedRegex(@"telemetry\s+(\d+) messages back from the broker")]
    private static partial Regex Received();
}
