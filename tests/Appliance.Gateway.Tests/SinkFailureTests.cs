using Appliance.Gateway.Polling;
using Appliance.Gateway.Telemetry;
using Appliance.Modbus.Simulator;

namespace Appliance.Gateway.Tests;

/// <summary>A sink that refuses a message (a full disk under the spool) never stops the poll loop.</summary>
public sealed class SinkFailureTests
{
    [Fact]
    public async Task ARefusedMessageIsCountedAndAlarmedAndPollingGoesOn()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 5 });
        simulator.Start();
        var sink = new RefusingSink();
        await using var gateway = new TestGateway(simulator.Port, requestTimeout: "2s", sink: sink);
        GroupPoller group = gateway.Path.Devices[0].Groups[0];

        for (int i = 0; i < 3; i++)
        {
            await group.PollOnceAsync(TimeProvider.System, CancellationToken.None);
        }

        Assert.Equal(3, sink.Calls);
        Assert.Equal(3, group.SinkFailures);
        Assert.Equal(3, gateway.Path.Alarms.Raised);
        Assert.Contains("could not be stored: disk full", gateway.Path.Alarms.Recent()[^1].Text, StringComparison.Ordinal);
        Assert.Equal(3, group.GoodPolls);
    }

    private sealed class RefusingSink : ITelemetrySink
    {
        public int Calls { get; private set; }

        public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
        {
            Calls++;
            throw new IOException("disk full");
        }
    }
}
