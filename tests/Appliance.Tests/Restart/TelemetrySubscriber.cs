using System.Globalization;
using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Restart;

/// <summary>
/// mosquitto_sub on the gateway's telemetry topics at QoS 1, collecting every (topic, seq) it receives on a thread of
/// its own; tests wait on what arrived.
/// </summary>
internal sealed class TelemetrySubscriber : IDisposable
{
    private readonly ChildProcess _process;
    private readonly Dictionary<string, SortedSet<long>> _seqs = [];
    private readonly Lock _gate = new();
    private readonly Thread _reader;

    public TelemetrySubscriber(int brokerPort)
    {
        _process = ChildProcess.Start("/usr/bin/stdbuf", ["-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", brokerPort.ToString(CultureInfo.InvariantCulture), "-t", "appliance/+/+/+", "-q", "1", "-v", "-d"]);
        _process.WaitForStdoutLine("SUBACK");
        _reader = new Thread(Read) { IsBackground = true, Name = "mosquitto_sub reader" };
        _reader.Start();
    }

    /// <summary>Every seq received on <paramref name="topic"/> (duplicates of QoS 1 re-sends counted once).</summary>
    public SortedSet<long> Seqs(string topic)
    {
        lock (_gate)
        {
            return _seqs.TryGetValue(topic, out SortedSet<long>? seqs) ? new SortedSet<long>(seqs) : [];
        }
    }

    /// <summary>The highest seq received on <paramref name="topic"/>, or 0.</summary>
    public long Max(string topic)
    {
        SortedSet<long> seqs = Seqs(topic);
        return seqs.Count == 0 ? 0 : seqs.Max;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for what arrived; the timeout only fails the test.</summary>
    public void WaitUntil(Func<TelemetrySubscriber, bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition(this))
        {
            Assert.True(clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)), $"gave up waiting until {what}");
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        _reader.Join(TimeSpan.FromSeconds(10));
    }

    private void Read()
    {
        try
        {
            while (_process.ReadStdoutLine(Timeout.InfiniteTimeSpan) is string line)
            {
                string[] parts = line.Split(' ', 2);
                if (parts.Length != 2 || !parts[1].StartsWith('{') || line.StartsWith("Client ", StringComparison.Ordinal))
                {
                    continue;
                }

                if (JsonDocument.Parse(parts[1]).RootElement.TryGetProperty("seq", out JsonElement seq))
                {
                    lock (_gate)
                    {
                        (_seqs.TryGetValue(parts[0], out SortedSet<long>? set) ? set : _seqs[parts[0]] = []).Add(seq.GetInt64());
                    }
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or TimeoutException)
        {
            // the subscriber was stopped
        }
    }
}
