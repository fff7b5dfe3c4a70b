using Appliance.Gateway.Polling;
using Appliance.Gateway.Telemetry;
using Appliance.Modbus.Simulator;

namespace Appliance.Gateway.Tests;

/// <summary>An older version kept seq in telemetry.seq beside the spool: the gateway takes it over once and carries on from it.</summary>
public sealed class SequenceImportTests
{
    [Fact]
    public async Task AnOlderVersionsSequenceFileIsImportedOnceAndNumberingContinuesFromIt()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 21 });
        simulator.Start();
        string? directory = null;
        await using var gateway = RunningGateway.Start(simulator.Port, prepare: path =>
        {
            directory = path;
            File.WriteAllText(Path.Combine(path, LegacySequenceFile.FileName), "plc-1\tprocess\t41\nplc-9\tgone\t7\n");
        });
        GroupPoller group = gateway.Group("process");
        await gateway.UntilAsync(() => group.LastSequence >= 44, "three polls after the imported number");

        Assert.True((await gateway.StopAsync()).IsClean);
        Assert.False(File.Exists(Path.Combine(directory!, LegacySequenceFile.FileName)), "the file was renamed after the import");
        Assert.True(File.Exists(Path.Combine(directory!, LegacySequenceFile.FileName + ".imported")));
        (Dictionary<string, List<long>> seqs, _) = await gateway.ReadSpoolAsync();
        List<long> process = seqs["appliance/gateway-01/plc-1/process"];
        Assert.Equal(42, process[0]);
        Assert.Equal(Enumerable.Range(42, process.Count).Select(i => (long)i), process);
    }
}
