using System.Diagnostics.CodeAnalysis;

namespace Appliance.Config;

/// <summary>The outcome of loading a configuration: the typed configuration, or every problem found in it.</summary>
public sealed class ConfigLoadResult
{
    internal ConfigLoadResult(ApplianceConfig? config, IReadOnlyList<ConfigDiagnostic> errors)
    {
        Config = config;
        Errors = errors;
    }

    /// <summary>The configuration; null exactly when there are errors.</summary>
    public ApplianceConfig? Config { get; }

    /// <summary>Every problem, in file order. Empty when the configuration is valid.</summary>
    public IReadOnlyList<ConfigDiagnostic> Errors { get; }

    [MemberNotNullWhen(true, nameof(Config))]
    public bool IsValid => Config is not null;
}
