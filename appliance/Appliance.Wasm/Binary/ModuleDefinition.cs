namespace Appliance.Wasm.Binary;

/// <summary>An import (Core spec 2.5.11). Exactly one of the descriptors matches <see cref="Kind"/>.</summary>
internal sealed record ImportDefinition(string Module, string Name, ExternalKind Kind, int FunctionTypeIndex, TableType? Table, MemoryType? Memory, GlobalType? Global);

/// <summary>An export (Core spec 2.5.10).</summary>
internal sealed record ExportDefinition(string Name, ExternalKind Kind, int Index);

/// <summary>A global defined by the module, with its initializer.</summary>
internal sealed record GlobalDefinition(GlobalType Type, ConstantExpression Initializer);

internal enum SegmentMode : byte
{
    Active,
    Passive,
    Declarative,
}

/// <summary>An element segment (Core spec 2.5.7): references for a table, each item a constant expression.</summary>
internal sealed record ElementSegment(SegmentMode Mode, ValueKind ElementType, int TableIndex, ConstantExpression? Offset, ConstantExpression[] Items);

/// <summary>A data segment (Core spec 2.5.8): bytes for memory 0, taken from the module at <see cref="DataOffset"/>.</summary>
internal sealed record DataSegment(SegmentMode Mode, int MemoryIndex, ConstantExpression? Offset, int DataOffset, int DataLength);

/// <summary>A function body (Core spec 5.5.13): its locals and where its instructions lie in the module bytes.</summary>
internal sealed record FunctionBody(ValueKind[] Locals, int CodeOffset, int CodeLength);

/// <summary>
/// A decoded module, before validation: the sections of the binary format in their index spaces. The
/// module's bytes are kept, and function bodies and data segments point into them.
/// </summary>
internal sealed class ModuleDefinition(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    public List<FunctionType> Types { get; } = [];

    public List<ImportDefinition> Imports { get; } = [];

    /// <summary>Type index of every function, imported ones first (the function index space).</summary>
    public List<int> FunctionTypes { get; } = [];

    /// <summary>Every table, imported ones first.</summary>
    public List<TableType> Tables { get; } = [];

    /// <summary>Every memory, imported ones first.</summary>
    public List<MemoryType> Memories { get; } = [];

    /// <summary>Every global's type, imported ones first.</summary>
    public List<GlobalType> GlobalTypes { get; } = [];

    /// <summary>The globals the module defines, after the imported ones.</summary>
    public List<GlobalDefinition> Globals { get; } = [];

    public List<ExportDefinition> Exports { get; } = [];

    public int? StartFunction { get; set; }

    public List<ElementSegment> Elements { get; } = [];

    public int? DataCount { get; set; }

    public List<FunctionBody> Bodies { get; } = [];

    public List<DataSegment> Data { get; } = [];

    public int ImportedFunctions { get; set; }

    public int ImportedTables { get; set; }

    public int ImportedMemories { get; set; }

    public int ImportedGlobals { get; set; }

    public FunctionType FunctionType(int functionIndex) => Types[FunctionTypes[functionIndex]];
}
