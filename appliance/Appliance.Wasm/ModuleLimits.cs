namespace Appliance.Wasm;

/// <summary>
/// Shape limits checked while a module is decoded, before any work can grow with a hostile input. A
/// module over a limit is refused with <see cref="ModuleErrorKind.LimitExceeded"/>. The defaults fit
/// every module of the spec test suite and are far above what a parser or driver guest needs.
/// </summary>
public sealed record ModuleLimits
{
    public static ModuleLimits Default { get; } = new();

    /// <summary>Largest module, in bytes (default 16 MiB).</summary>
    public int MaxModuleBytes { get; init; } = 16 << 20;

    /// <summary>Largest section, in bytes (default 16 MiB).</summary>
    public int MaxSectionBytes { get; init; } = 16 << 20;

    /// <summary>Most types, imports, exports or globals (each; default 100,000).</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Most functions, imported and defined (default 100,000).</summary>
    public int MaxFunctions { get; init; } = 100_000;

    /// <summary>Largest function body, in bytes (default 1 MiB).</summary>
    public int MaxFunctionBodyBytes { get; init; } = 1 << 20;

    /// <summary>Most locals of one function, parameters included (default 50,000).</summary>
    public int MaxLocals { get; init; } = 50_000;

    /// <summary>Most parameters or results of one function type (default 1,000).</summary>
    public int MaxFunctionTypeArity { get; init; } = 1_000;

    /// <summary>Most targets of one br_table (default 65,536).</summary>
    public int MaxBrTableTargets { get; init; } = 65_536;

    /// <summary>Most element segments, and most items over all of them (default 100,000 and 1,000,000).</summary>
    public int MaxElementSegments { get; init; } = 100_000;

    public int MaxElementItems { get; init; } = 1_000_000;

    /// <summary>Most data segments (default 100,000).</summary>
    public int MaxDataSegments { get; init; } = 100_000;

    /// <summary>Most tables (default 100).</summary>
    public int MaxTables { get; init; } = 100;

    /// <summary>Deepest nesting of blocks in one function (default 10,000).</summary>
    public int MaxBlockDepth { get; init; } = 10_000;
}
