namespace Appliance.Tests.Vm;

/// <summary>
/// The VM tests run alone, one VM at a time, after the parallel tests: a watchdog's deadline is real time, and a VM
/// under emulation needs both cores. They share one <see cref="VmSystem"/>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneVmAtATime : ICollectionFixture<VmSystem>
{
    public const string Name = "vm";
}
