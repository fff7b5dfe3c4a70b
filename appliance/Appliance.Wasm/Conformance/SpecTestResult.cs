namespace Appliance.Wasm.Conformance;

/// <summary>The outcome of one wast2json script: counts of commands, and a line for each failure.</summary>
public sealed record SpecTestResult(string File, int Passed, int Failed, int Skipped, IReadOnlyList<string> Failures);
