namespace Appliance.Modbus.Tests.Support;

/// <summary>
/// Tests whose verdict depends on real deadlines (a valid reply must arrive within the request
/// timeout). They run alone, after the parallel tests, so a busy thread pool cannot make a valid reply late.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "timing-sensitive";
}
