namespace Appliance.Wasm.Conformance;

/// <summary>The verdict of <see cref="FuzzExec.Compare"/> and, for a divergence, the first line that differs.</summary>
public sealed record FuzzExecComparison(FuzzExecVerdict Verdict, string Detail);
