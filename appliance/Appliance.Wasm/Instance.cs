using Appliance.Wasm.Binary;

namespace Appliance.Wasm;

/// <summary>
/// An instantiated module (Core spec 4.5.4): its functions, tables, memory, globals and exports. An instance
/// can be put back to its state just after instantiation with <see cref="Reset"/>, in microseconds.
/// </summary>
public sealed class Instance
{
    private readonly Dictionary<string, object> _exports = new(StringComparer.Ordinal);
    private Snapshot? _snapshot;

    private Instance(Store store, Module module)
    {
        Store = store;
        Module = module;
        ModuleDefinition definition = module.Definition;
        Functions = new Function[definition.FunctionTypes.Count];
        Tables = new Table[definition.Tables.Count];
        Globals = new Global[definition.GlobalTypes.Count];
        ElementSegments = new ulong[definition.Elements.Count][];
        DroppedData = new bool[definition.Data.Count];
    }

    public Store Store { get; }

    public Module Module { get; }

    /// <summary>The exports by name: <see cref="Function"/>, <see cref="Table"/>, <see cref="Memory"/> or <see cref="Global"/>.</summary>
    public IReadOnlyDictionary<string, object> Exports => _exports;

    /// <summary>Memory 0, or null when the module has none.</summary>
    public Memory? Memory { get; private set; }

    /// <summary>True after a trap; such an instance refuses to run until it is reset (when the engine requires it).</summary>
    public bool Trapped { get; internal set; }

    internal Function[] Functions { get; }

    internal Table[] Tables { get; }

    internal Global[] Globals { get; }

    /// <summary>Evaluated element segments; an empty array once dropped.</summary>
    internal ulong[][] ElementSegments { get; }

    internal bool[] DroppedData { get; }

    public Function GetFunction(string name) =>
        _exports.TryGetValue(name, out object? item) && item is Function function
            ? function
            : throw new KeyNotFoundException($"no exported function \"{name}\"");

    /// <summary>
    /// Makes the current state the one <see cref="Reset"/> returns to: for example a parser just after its
    /// tag map was configured. The instance keeps its own copy of its memory from then on.
    /// </summary>
    public void Checkpoint()
    {
        if (Trapped)
        {
            throw new InvalidOperationException("a trapped instance cannot be checkpointed; reset it first");
        }

        TakeSnapshot(_snapshot?.MemoryOwned ?? true, sharedImage: null);
    }

    /// <summary>
    /// Returns memory, globals, tables and dropped segments to their state just after instantiation, or at the last
    /// <see cref="Checkpoint"/>. Of an owned memory, only the blocks written since then are copied back
    /// (<see cref="Memory.DirtyBlocks"/>), or all of it when it has grown.
    /// </summary>
    public void Reset()
    {
        Snapshot snapshot = _snapshot ?? throw new InvalidOperationException("the instance has no snapshot");
        if (Memory is not null && snapshot.Memory is not null && snapshot.MemoryOwned)
        {
            Memory.Restore(snapshot.Memory, snapshot.MemoryPages);
        }

        for (int i = 0; i < snapshot.Globals.Length; i++)
        {
            Globals[Module.Definition.ImportedGlobals + i].Value = snapshot.Globals[i];
        }

        for (int i = 0; i < snapshot.Tables.Length; i++)
        {
            Tables[Module.Definition.ImportedTables + i].Restore(snapshot.Tables[i]);
        }

        for (int i = 0; i < ElementSegments.Length; i++)
        {
            ElementSegments[i] = snapshot.ElementSegments[i];
        }

        snapshot.DroppedData.AsSpan().CopyTo(DroppedData);
        Trapped = false;
    }

    internal static Instance Create(Store store, Module module, object[] imports)
    {
        var instance = new Instance(store, module);
        instance.Initialize(imports);
        return instance;
    }

    private void Initialize(object[] imports)
    {
        ModuleDefinition definition = Module.Definition;
        EngineConfig config = Store.Engine.Config;
        int function = 0, table = 0, global = 0;
        for (int i = 0; i < imports.Length; i++)
        {
            switch (imports[i])
            {
                case Function f:
                    Functions[function++] = f;
                    break;
                case Table t:
                    Tables[table++] = t;
                    break;
                case Memory m:
                    Memory = m;
                    break;
                case Global g:
                    Globals[global++] = g;
                    break;
            }
        }

        for (int i = 0; i < Module.Functions.Length; i++)
        {
            int index = definition.ImportedFunctions + i;
            Functions[index] = Function.FromGuest(Store, definition.FunctionType(index), this, Module.Functions[i]);
        }

        for (int i = definition.ImportedTables; i < definition.Tables.Count; i++)
        {
            TableType type = definition.Tables[i];
            if (type.Limits.Minimum > config.MaxTableElements)
            {
                throw new WasmModuleException(ModuleErrorKind.Uninstantiable, $"a table of {type.Limits.Minimum} elements exceeds the limit of {config.MaxTableElements}");
            }

            Tables[i] = new Table(type, config.MaxTableElements);
        }

        bool memoryOwned = false;
        if (definition.Memories.Count > definition.ImportedMemories)
        {
            MemoryType type = definition.Memories[definition.ImportedMemories];
            uint limit = Math.Min(config.MaxMemoryPages, Memory.MaxPagesPerArray);
            if (type.Limits.Minimum > limit)
            {
                throw new WasmModuleException(ModuleErrorKind.Uninstantiable, $"a memory of {type.Limits.Minimum} pages exceeds the limit of {limit}");
            }

            Memory = Module.InitialMemoryImage is byte[] image
                ? new Memory(type, config.MaxMemoryPages, image)
                : new Memory(type, config.MaxMemoryPages);
            memoryOwned = true;
        }

        for (int i = 0; i < definition.Globals.Count; i++)
        {
            GlobalDefinition defined = definition.Globals[i];
            Globals[definition.ImportedGlobals + i] = new Global(defined.Type, Evaluate(defined.Initializer));
        }

        foreach (ExportDefinition export in definition.Exports)
        {
            _exports[export.Name] = export.Kind switch
            {
                ExternalKind.Function => Functions[export.Index],
                ExternalKind.Table => Tables[export.Index],
                ExternalKind.Memory => Memory!,
                _ => Globals[export.Index],
            };
        }

        for (int i = 0; i < definition.Elements.Count; i++)
        {
            ElementSegment segment = definition.Elements[i];
            ElementSegments[i] = [.. segment.Items.Select(Evaluate)];
        }

        for (int i = 0; i < definition.Elements.Count; i++)
        {
            ElementSegment segment = definition.Elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                uint offset = (uint)Evaluate(segment.Offset!);
                ulong[] items = ElementSegments[i];
                Table target = Tables[segment.TableIndex];
                if ((ulong)offset + (ulong)items.Length > target.Size)
                {
                    throw new WasmModuleException(ModuleErrorKind.Uninstantiable, "out of bounds table access");
                }

                items.AsSpan().CopyTo(target.Elements.AsSpan((int)offset));
            }

            if (segment.Mode != SegmentMode.Passive)
            {
                ElementSegments[i] = [];
            }
        }

        for (int i = 0; i < definition.Data.Count; i++)
        {
            DataSegment segment = definition.Data[i];
            if (segment.Mode != SegmentMode.Active)
            {
                continue;
            }

            uint offset = (uint)Evaluate(segment.Offset!);
            if (Memory is null || (ulong)offset + (ulong)segment.DataLength > (ulong)Memory.Length)
            {
                throw new WasmModuleException(ModuleErrorKind.Uninstantiable, "out of bounds memory access");
            }

            if (Module.InitialMemoryImage is null || !memoryOwned)
            {
                Memory.Write(offset, definition.Bytes.AsSpan(segment.DataOffset, segment.DataLength));
            }

            DroppedData[i] = true;
        }

        if (definition.StartFunction is int start)
        {
            try
            {
                Functions[start].Call();
            }
            catch (TrapException trap)
            {
                throw new WasmModuleException(ModuleErrorKind.Uninstantiable, $"the start function trapped: {trap.Message}");
            }
        }

        TakeSnapshot(memoryOwned, Module.InitialMemoryImage);
    }

    /// <summary>Saves the state <see cref="Reset"/> returns to; an owned memory's dirty map starts afresh from it.</summary>
    private void TakeSnapshot(bool memoryOwned, byte[]? sharedImage)
    {
        ModuleDefinition definition = Module.Definition;
        byte[]? memory = !memoryOwned || Memory is null ? null : sharedImage ?? Memory.ReadOnlySpan.ToArray();
        if (memory is not null)
        {
            Memory!.ClearDirty();
        }

        _snapshot = new Snapshot(
            memory,
            Memory?.Pages ?? 0,
            memoryOwned,
            [.. Globals.Skip(definition.ImportedGlobals).Select(g => g.Value)],
            [.. Tables.Skip(definition.ImportedTables).Select(t => (ulong[])t.Elements.Clone())],
            (ulong[][])ElementSegments.Clone(),
            (bool[])DroppedData.Clone());
    }

    private ulong Evaluate(ConstantExpression expression)
    {
        ConstantInstruction instruction = expression.Instructions[0];
        return instruction.Operator switch
        {
            ConstantOperator.I32Const or ConstantOperator.I64Const or ConstantOperator.F32Const or ConstantOperator.F64Const => instruction.Value,
            ConstantOperator.RefNull => 0,
            ConstantOperator.RefFunc => Functions[instruction.Index].Reference,
            _ => Globals[instruction.Index].Value,
        };
    }

    private sealed record Snapshot(
        byte[]? Memory,
        uint MemoryPages,
        bool MemoryOwned,
        ulong[] Globals,
        ulong[][] Tables,
        ulong[][] ElementSegments,
        bool[] DroppedData);
}
