namespace Appliance.Config;

/// <summary>One problem found in a configuration file, in the form an editor can jump to: <c>FILE:LINE:COL: message</c>.</summary>
public sealed record ConfigDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
