using Appliance.Gateway.Polling;
using Appliance.Gateway.Telemetry;
using Appliance.Modbus.Simulator;

namespace Appliance.Gateway.Tests;

/// <summary>A sink that refuses a message (a full disk under the spool) never stops the poll loop, and the refused message uses up no number.</summary>
public sealed class SinkFailureTests
{
    [Fact]
    public async Task ARefusedMessageIsCountedAndAlarmedAndPollingGoesOnWithoutAGapInSeq()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 5 });
        simulator.Start();
        var sink = new RefusingSink { Refuse = 3 };
        await using var gateway = new TestGateway(simulator.Port, requestTimeout: "2s", sink: sink);
        GroupPoller group = gateway.Path.Devices[0].Groups[0];

        for (int i = 0; i < 5; i++)
        {
            await group.PollOnceAsync(TimeProvider.System, CancellationToken.None);
        }

        Assert.Equal(5, sink.Calls);
        Assert.Equal(3, group.SinkFailures);
        Assert.Equal(3, gateway.Path.Alarms.Raised);
        Assert.Contains("could not be stored and is lost: disk full", gateway.Path.Alarms.Recent()[^1].Text, StringComparison.Ordinal);
        Assert.Equal(2, group.GoodPolls);
        Assert.Equal([1L, 2L], sink.Accepted);
        Assert.Equal(2, group.LastSequence);
    }

    /// <summary>Refuses the first <see cref="Refuse"/> messages as a full disk would, then takes the rest.</summary>
    private sealed class RefusingSink : ITelemetrySink
    {
        private long _last;

        public int Refuse { get; init; }

        public int Calls { get; private set; }

        public List<long> Accepted { get; } = [];

        public long NextSequence(string stream) => _last + 1;

        public ValueTask PublishAsync(TelemetryMessage message, CancellationToken cancellationToken)
        {
            Calls++;
            if (Calls <= Refuse)
            {
                throw new IOException("disk full");
            }

            _last = message.Sequence;
            Accepted.Add(message.Sequence);
            return ValueTask.CompletedTask;
        }
    }
}
