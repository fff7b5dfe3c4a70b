namespace Appliance.Bench;

/// <summary>What Node (V8) needs to get a fresh, configured parser instance from an already compiled module.</summary>
/// <param name="Version">node --version.</param>
/// <param name="InstantiateMicroseconds">Median of <c>new WebAssembly.Instance(module)</c>.</param>
/// <param name="InstantiateAndConfigureMicroseconds">Median of instantiating and calling configure with the same tag map.</param>
internal sealed record NodeTiming(string Version, double InstantiateMicroseconds, double InstantiateAndConfigureMicroseconds);
