using System.Globalization;
using Appliance.Testing;

namespace Appliance.Mqtt.Tests.Support;

/// <summary>
/// A second MQTT implementation watching the broker: <c>mosquitto_sub</c>, or a paho-mqtt script under
/// Debian's Python. Both print one line per message, <c>topic payload</c>, after a line saying they subscribed
/// (mosquitto_sub under <c>stdbuf -oL</c>: its stdout is block-buffered when it is a pipe).
/// </summary>
internal sealed class Subscriber : IDisposable
{
    private const string PahoScript = """
        import sys
        import paho.mqtt.client as mqtt
        port, topic = int(sys.argv[1]), sys.argv[2]
        def on_connect(client, userdata, flags, rc):
            client.subscribe(topic, qos=1)
        def on_subscribe(client, userdata, mid, granted):
            print("Subscribed (paho)", flush=True)
        def on_message(client, userdata, message):
            print(message.topic + " " + message.payload.decode("utf-8"), flush=True)
        client = mqtt.Client(client_id="paho-watcher", protocol=mqtt.MQTTv311)
        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_message = on_message
        client.connect("127.0.0.1", port)
        client.loop_forever()
        """;

    private readonly ChildProcess _process;

    private Subscriber(ChildProcess process, string name)
    {
        _process = process;
        Name = name;
        _process.WaitForStdoutLine("Subscribed (");
    }

    public string Name { get; }

    public static Subscriber Mosquitto(int port, string topic) => new(
        ChildProcess.Start("/usr/bin/stdbuf", ["-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", topic, "-q", "1", "-v", "-d", "-i", "mosquitto-watcher"]),
        "mosquitto_sub");

    public static Subscriber Paho(int port, string topic) => new(
        ChildProcess.Start("/usr/bin/python3", ["-c", PahoScript, port.ToString(CultureInfo.InvariantCulture), topic]),
        "paho-mqtt");

    /// <summary>The payloads of the next <paramref name="count"/> messages, skipping debug lines.</summary>
    public List<string> Next(int count)
    {
        var payloads = new List<string>();
        while (payloads.Count < count)
        {
            string line = _process.ReadStdoutLine() ?? throw new InvalidOperationException($"{Name} ended after {payloads.Count} messages; stderr: {_process.Stderr}");
            if (line.StartsWith("Client ", StringComparison.Ordinal) || line.StartsWith("Subscribed (", StringComparison.Ordinal))
            {
                continue;
            }

            payloads.Add(line);
        }

        return payloads;
    }

    /// <summary>Waits until a message line equal to <paramref name="line"/> arrives; earlier lines are skipped.</summary>
    public void WaitFor(string line) => _process.WaitForStdoutLine(line);

    public void Dispose() => _process.Dispose();
}
