namespace Appliance.Wasm.Binary;

/// <summary>
/// Decodes the binary format into a <see cref="ModuleDefinition"/> (Core spec 5.5). Sections are read in
/// their required order; every count and size is checked against the bytes that remain and against the
/// <see cref="ModuleLimits"/> before anything is allocated for it.
/// </summary>
/// <remarks>
/// <code>
/// module  ::= magic version section*
/// magic   ::= 0x00 0x61 0x73 0x6D           "\0asm"
/// version ::= 0x01 0x00 0x00 0x00
/// section ::= id:byte size:u32 contents     (custom sections, id 0, may appear anywhere)
/// order   ::= type(1) import(2) function(3) table(4) memory(5) global(6) export(7) start(8)
///             element(9) datacount(12) code(10) data(11)
/// </code>
/// </remarks>
internal static partial class ModuleDecoder
{
    private const int HeaderBytes = 8;

    public static ModuleDefinition Decode(byte[] bytes, ModuleLimits limits)
    {
        if (bytes.Length > limits.MaxModuleBytes)
        {
            throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"the module is {bytes.Length} bytes; the limit is {limits.MaxModuleBytes}", 0);
        }

        var reader = new WasmReader(bytes);
        if (bytes.Length < 4 || !bytes.AsSpan(0, 4).SequenceEqual("\0asm"u8))
        {
            reader.Fail(bytes.Length < 4 && "\0asm"u8.StartsWith(bytes) ? "unexpected end" : "magic header not detected");
        }

        reader.Position = 4;
        if (bytes.Length < HeaderBytes)
        {
            reader.Fail("unexpected end");
        }

        if (!bytes.AsSpan(4, 4).SequenceEqual((ReadOnlySpan<byte>)[1, 0, 0, 0]))
        {
            reader.Fail("unknown binary version");
        }

        reader.Position = HeaderBytes;
        var module = new ModuleDefinition(bytes);
        int lastOrder = 0;
        int? declaredFunctions = null;
        while (!reader.AtEnd)
        {
            byte id = reader.ReadByte();
            uint size = reader.ReadU32();
            if (size > (uint)limits.MaxSectionBytes)
            {
                throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"section {id} claims {size} bytes; the limit is {limits.MaxSectionBytes}", reader.Offset);
            }

            if (size > (uint)reader.Remaining)
            {
                reader.Fail("section size mismatch: unexpected end");
            }

            int start = reader.Position;
            var section = new WasmReader(bytes.AsSpan(start, (int)size), start);
            if (id != 0)
            {
                int order = SectionOrder(id);
                if (order == 0)
                {
                    reader.Fail("malformed section id");
                }

                if (order <= lastOrder)
                {
                    reader.Fail("unexpected content after last section");
                }

                lastOrder = order;
            }

            switch (id)
            {
                case 0:
                    section.ReadName(); // the name must be valid UTF-8; the contents are ignored
                    section.Position = section.Length;
                    break;
                case 1:
                    ReadTypes(ref section, module, limits);
                    break;
                case 2:
                    ReadImports(ref section, module, limits);
                    break;
                case 3:
                    declaredFunctions = ReadFunctions(ref section, module, limits);
                    break;
                case 4:
                    ReadTables(ref section, module, limits);
                    break;
                case 5:
                    ReadMemories(ref section, module, limits);
                    break;
                case 6:
                    ReadGlobals(ref section, module, limits);
                    break;
                case 7:
                    ReadExports(ref section, module, limits);
                    break;
                case 8:
                    module.StartFunction = section.ReadCount();
                    break;
                case 9:
                    ReadElements(ref section, module, limits);
                    break;
                case 10:
                    ReadCode(ref section, module, limits, declaredFunctions ?? 0);
                    break;
                case 11:
                    ReadData(ref section, module, limits);
                    break;
                case 12:
                    uint dataCount = section.ReadU32();
                    if (dataCount > (uint)limits.MaxDataSegments)
                    {
                        throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"{dataCount} data segments exceed the limit of {limits.MaxDataSegments}", section.Offset);
                    }

                    module.DataCount = (int)dataCount;
                    break;
                default:
                    reader.Fail("malformed section id");
                    break;
            }

            if (!section.AtEnd)
            {
                section.Fail("section size mismatch");
            }

            reader.Position = start + (int)size;
        }

        if ((declaredFunctions ?? 0) != module.Bodies.Count)
        {
            reader.Fail("function and code section have inconsistent lengths");
        }

        if (module.DataCount is int count && count != module.Data.Count)
        {
            reader.Fail("data count and data section have inconsistent lengths");
        }

        return module;
    }

    /// <summary>Position of a section id in the required order; 0 for an unknown id.</summary>
    private static int SectionOrder(byte id) => id switch
    {
        >= 1 and <= 9 => id,
        12 => 10,
        10 => 11,
        11 => 12,
        _ => 0,
    };

    // functype ::= 0x60 rt1:resulttype rt2:resulttype (Core spec 5.3.6)
    private static void ReadTypes(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxEntries, "types");
        for (int i = 0; i < count; i++)
        {
            if (r.ReadByte() != 0x60)
            {
                r.Fail("malformed function type");
            }

            ValueKind[] parameters = ReadResultType(ref r, limits);
            ValueKind[] results = ReadResultType(ref r, limits);
            module.Types.Add(new FunctionType(parameters, results));
        }
    }

    private static ValueKind[] ReadResultType(ref WasmReader r, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxFunctionTypeArity, "parameters or results");
        var types = new ValueKind[count];
        for (int i = 0; i < count; i++)
        {
            types[i] = r.ReadValueType();
        }

        return types;
    }

    // import ::= mod:name nm:name d:importdesc (Core spec 5.5.5)
    private static void ReadImports(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxEntries, "imports");
        for (int i = 0; i < count; i++)
        {
            string moduleName = r.ReadName();
            string name = r.ReadName();
            byte kind = r.ReadByte();
            switch (kind)
            {
                case 0:
                    int typeIndex = r.ReadCount();
                    module.Imports.Add(new ImportDefinition(moduleName, name, ExternalKind.Function, typeIndex, null, null, null));
                    module.FunctionTypes.Add(typeIndex);
                    module.ImportedFunctions++;
                    CheckFunctionCount(ref r, module, limits);
                    break;
                case 1:
                    TableType table = ReadTableType(ref r);
                    module.Imports.Add(new ImportDefinition(moduleName, name, ExternalKind.Table, -1, table, null, null));
                    module.Tables.Add(table);
                    module.ImportedTables++;
                    break;
                case 2:
                    MemoryType memory = ReadMemoryType(ref r);
                    module.Imports.Add(new ImportDefinition(moduleName, name, ExternalKind.Memory, -1, null, memory, null));
                    module.Memories.Add(memory);
                    module.ImportedMemories++;
                    break;
                case 3:
                    GlobalType global = ReadGlobalType(ref r);
                    module.Imports.Add(new ImportDefinition(moduleName, name, ExternalKind.Global, -1, null, null, global));
                    module.GlobalTypes.Add(global);
                    module.ImportedGlobals++;
                    break;
                default:
                    r.Fail("malformed import kind");
                    break;
            }
        }
    }

    private static int ReadFunctions(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxFunctions, "functions");
        for (int i = 0; i < count; i++)
        {
            module.FunctionTypes.Add(r.ReadCount());
            CheckFunctionCount(ref r, module, limits);
        }

        return count;
    }

    private static void CheckFunctionCount(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        if (module.FunctionTypes.Count > limits.MaxFunctions)
        {
            throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"more than {limits.MaxFunctions} functions", r.Offset);
        }
    }

    private static void ReadTables(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxTables, "tables");
        for (int i = 0; i < count; i++)
        {
            module.Tables.Add(ReadTableType(ref r));
            if (module.Tables.Count > limits.MaxTables)
            {
                throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"more than {limits.MaxTables} tables", r.Offset);
            }
        }
    }

    private static void ReadMemories(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxTables, "memories");
        for (int i = 0; i < count; i++)
        {
            module.Memories.Add(ReadMemoryType(ref r));
        }
    }

    // global ::= gt:globaltype e:expr (Core spec 5.5.9)
    private static void ReadGlobals(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxEntries, "globals");
        for (int i = 0; i < count; i++)
        {
            GlobalType type = ReadGlobalType(ref r);
            ConstantExpression init = ReadConstantExpression(ref r);
            module.GlobalTypes.Add(type);
            module.Globals.Add(new GlobalDefinition(type, init));
        }
    }

    // export ::= nm:name d:exportdesc (Core spec 5.5.10)
    private static void ReadExports(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxEntries, "exports");
        for (int i = 0; i < count; i++)
        {
            string name = r.ReadName();
            byte kind = r.ReadByte();
            if (kind > 3)
            {
                r.Fail("malformed export kind");
            }

            module.Exports.Add(new ExportDefinition(name, (ExternalKind)kind, r.ReadCount()));
        }
    }

    // tabletype ::= et:reftype lim:limits (Core spec 5.3.9)
    private static TableType ReadTableType(ref WasmReader r)
    {
        ValueKind element = r.ReadReferenceType();
        return new TableType(element, ReadLimits(ref r));
    }

    private static MemoryType ReadMemoryType(ref WasmReader r) => new(ReadLimits(ref r));

    // limits ::= 0x00 n:u32 | 0x01 n:u32 m:u32 (Core spec 5.3.7)
    private static Limits ReadLimits(ref WasmReader r)
    {
        byte flag = r.ReadByte();
        return flag switch
        {
            0x00 => new Limits(r.ReadU32(), null),
            0x01 => new Limits(r.ReadU32(), r.ReadU32()),
            _ => r.Fail<Limits>("integer too large: malformed limits flags"),
        };
    }

    // globaltype ::= t:valtype m:mut ; mut ::= 0x00 | 0x01 (Core spec 5.3.10)
    private static GlobalType ReadGlobalType(ref WasmReader r)
    {
        ValueKind type = r.ReadValueType();
        byte mutability = r.ReadByte();
        if (mutability > 1)
        {
            r.Fail("malformed mutability");
        }

        return new GlobalType(type, mutability == 1);
    }
}
