using System.Globalization;
using Appliance.Testing;

namespace Appliance.Mqtt.Tests.RealBroker;

/// <summary>Reads the retained message of a topic with <c>mosquitto_sub -C 1</c>, as an operator would.</summary>
internal static class Retained
{
    public static async Task<string> ReadAsync(int port, string topic)
    {
        (int code, string stdout, string stderr) = await ChildProcess.RunAsync(
            "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", topic, "-C", "1", "-W", "20");
        Assert.True(code == 0, $"mosquitto_sub found no retained message on {topic}: {stderr}");
        return stdout.TrimEnd('\n');
    }
}
