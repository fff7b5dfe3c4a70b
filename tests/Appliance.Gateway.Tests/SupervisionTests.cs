using System.Text.Json;
using Appliance.Gateway.Polling;
using Appliance.Gateway.Supervision;
using Appliance.Modbus.Simulator;

namespace Appliance.Gateway.Tests;

/// <summary>
/// Faults injected at every stage of one poll group's path into a running gateway: the failing group is alarmed,
/// restarted and recovers; the other group keeps polling; nothing committed is lost and seq has no gap.
/// </summary>
public sealed class SupervisionTests
{
    /// <summary>A second poll group of the example's PLC, so that one can fail while the other goes on.</summary>
    private const string SecondGroup = """

        [[device.group]]
        name = "second"
        interval = "20ms"
        registers = "holding"

        [[device.group.tag]]
        name = "temperature"
        address = 0
        type = "float32"
        """;

    private const string FailingTask = "poll plc-1/process";

    [Theory]
    [InlineData(PathStage.Transport)]
    [InlineData(PathStage.Lifting)]
    [InlineData(PathStage.Voting)]
    [InlineData(PathStage.Sequence)]
    [InlineData(PathStage.Formatting)]
    public async Task AFaultThatEscapesAPollIsAlarmedAndRestartedWhileTheOtherGroupKeepsPolling(PathStage stage)
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 11 });
        simulator.Start();
        await using var gateway = RunningGateway.Start(simulator.Port, SecondGroup);
        GroupPoller failing = gateway.Group("process");
        GroupPoller steady = gateway.Group("second");
        await gateway.UntilAsync(() => failing.LastSequence >= 3 && steady.LastSequence >= 3, "both groups have published");

        failing.FaultProbe = at => _ = at == stage ? throw new InvalidOperationException($"fault injected at {stage}") : 0;
        long failedAt = failing.LastSequence;
        long steadyAt = steady.LastSequence;
        SupervisedTask task = gateway.Task(FailingTask);
        await gateway.UntilAsync(() => task.Restarts >= 3 && steady.LastSequence >= steadyAt + 10, "the failing group restarted three times and the other polled ten times");

        Assert.True(failing.LastSequence <= failedAt + 1, $"no poll of the failing group got through ({failedAt} → {failing.LastSequence})");
        Assert.Contains($"fault injected at {stage}", task.LastFailure, StringComparison.Ordinal);
        Assert.Contains(gateway.Host.Alarms.Recent(), alarm => alarm.Text.StartsWith($"{FailingTask} failed and restarts in", StringComparison.Ordinal) && alarm.Text.Contains($"fault injected at {stage}", StringComparison.Ordinal));
        Assert.Equal(0, gateway.Task("poll plc-1/second").Restarts);

        failing.FaultProbe = null;
        long recoveredFrom = failing.LastSequence;
        await gateway.UntilAsync(() => failing.LastSequence >= recoveredFrom + 3, "the failing group publishes again");
        Assert.Equal(TaskState.Running, task.State);

        GatewayStop stopped = await gateway.StopAsync();
        Assert.True(stopped.IsClean, stopped.Unrecoverable);
        (Dictionary<string, List<long>> seqs, JsonElement? status) = await gateway.ReadSpoolAsync();
        AssertEveryNumberOnce(seqs, "appliance/gateway-01/plc-1/process", failing.LastSequence);
        AssertEveryNumberOnce(seqs, "appliance/gateway-01/plc-1/second", steady.LastSequence);
        JsonElement taskStatus = status!.Value.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == FailingTask);
        Assert.True(taskStatus.GetProperty("restarts").GetInt64() >= 3, taskStatus.ToString());
        Assert.Contains(status.Value.GetProperty("recent_alarms").EnumerateArray(), alarm => alarm.GetProperty("text").GetString()!.Contains($"fault injected at {stage}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASinkFaultIsCountedAndAlarmedWithoutARestartAndUsesUpNoNumber()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 12 });
        simulator.Start();
        await using var gateway = RunningGateway.Start(simulator.Port, SecondGroup);
        GroupPoller failing = gateway.Group("process");
        GroupPoller steady = gateway.Group("second");
        await gateway.UntilAsync(() => failing.LastSequence >= 3, "the group has published");

        failing.FaultProbe = at => _ = at == PathStage.Sink ? throw new IOException("disk full (injected)") : 0;
        long steadyAt = steady.LastSequence;
        await gateway.UntilAsync(() => failing.SinkFailures >= 5 && steady.LastSequence >= steadyAt + 5, "five messages were refused and the other group polled on");
        failing.FaultProbe = null;
        long recoveredFrom = failing.LastSequence;
        await gateway.UntilAsync(() => failing.LastSequence >= recoveredFrom + 3, "the group stores messages again");

        Assert.Equal(0, gateway.Task(FailingTask).Restarts);
        Assert.Contains(gateway.Host.Alarms.Recent(), alarm => alarm.Text.Contains("could not be stored and is lost: disk full (injected)", StringComparison.Ordinal));
        Assert.True((await gateway.StopAsync()).IsClean);
        (Dictionary<string, List<long>> seqs, _) = await gateway.ReadSpoolAsync();
        AssertEveryNumberOnce(seqs, "appliance/gateway-01/plc-1/process", failing.LastSequence);
    }

    [Fact]
    public async Task TheSpoolClosingUnderARunningGatewayStopsItAndSaysWhy()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 13 });
        simulator.Start();
        await using var gateway = RunningGateway.Start(simulator.Port);
        await gateway.UntilAsync(() => gateway.Group("process").LastSequence >= 2, "the group has published");

        await gateway.Host.Spool!.DisposeAsync();
        GatewayStop stopped = await gateway.Running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(stopped.IsClean);
        Assert.Contains("was closed while the gateway was running", stopped.Unrecoverable, StringComparison.Ordinal);
        Assert.Equal(TaskState.Failed, gateway.Task(FailingTask).State);
    }

    /// <summary>The topic's seqs in the spool are exactly 1 to <paramref name="last"/>: nothing committed lost, no gap, no number twice.</summary>
    private static void AssertEveryNumberOnce(Dictionary<string, List<long>> seqs, string topic, long last)
    {
        Assert.True(seqs.TryGetValue(topic, out List<long>? list), $"nothing spooled on {topic}; topics: {string.Join(", ", seqs.Keys)}");
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), list);
    }
}
