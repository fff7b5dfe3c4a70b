using System.Diagnostics.CodeAnalysis;
using Appliance.Wasm.Binary;

namespace Appliance.Wasm.Validation;

/// <summary>Module-level validation (Core spec 3.4): everything outside function bodies, which the translator checks.</summary>
internal static class ModuleValidator
{
    /// <summary>The largest memory the spec allows: 65,536 pages of 64 KiB (Core spec 3.2.4).</summary>
    public const uint MaxSpecPages = 65_536;

    public static void Validate(ModuleDefinition module)
    {
        foreach (int typeIndex in module.FunctionTypes)
        {
            if (typeIndex < 0 || typeIndex >= module.Types.Count)
            {
                Fail("unknown type");
            }
        }

        foreach (TableType table in module.Tables)
        {
            CheckLimits(table.Limits, uint.MaxValue, "table size");
        }

        foreach (MemoryType memory in module.Memories)
        {
            CheckLimits(memory.Limits, MaxSpecPages, "memory size");
        }

        if (module.Memories.Count > 1)
        {
            Fail("multiple memories");
        }

        for (int i = 0; i < module.Globals.Count; i++)
        {
            GlobalDefinition global = module.Globals[i];
            CheckConstant(module, global.Initializer, global.Type.Type);
        }

        foreach (ElementSegment segment in module.Elements)
        {
            if (segment.Mode == SegmentMode.Active)
            {
                if (segment.TableIndex >= module.Tables.Count)
                {
                    Fail("unknown table");
                }

                if (module.Tables[segment.TableIndex].ElementType != segment.ElementType)
                {
                    Fail("type mismatch: element segment and table types differ");
                }

                CheckConstant(module, segment.Offset!, ValueKind.I32);
            }

            foreach (ConstantExpression item in segment.Items)
            {
                CheckConstant(module, item, segment.ElementType);
            }
        }

        foreach (DataSegment segment in module.Data)
        {
            if (segment.Mode == SegmentMode.Active)
            {
                if (segment.MemoryIndex >= module.Memories.Count)
                {
                    Fail("unknown memory");
                }

                CheckConstant(module, segment.Offset!, ValueKind.I32);
            }
        }

        if (module.StartFunction is int start)
        {
            if (start >= module.FunctionTypes.Count)
            {
                Fail("unknown function");
            }

            FunctionType type = module.FunctionType(start);
            if (type.Parameters.Count != 0 || type.Results.Count != 0)
            {
                Fail("start function must take and return nothing");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (ExportDefinition export in module.Exports)
        {
            if (!names.Add(export.Name))
            {
                Fail("duplicate export name");
            }

            int count = export.Kind switch
            {
                ExternalKind.Function => module.FunctionTypes.Count,
                ExternalKind.Table => module.Tables.Count,
                ExternalKind.Memory => module.Memories.Count,
                _ => module.GlobalTypes.Count,
            };
            if (export.Index < 0 || export.Index >= count)
            {
                Fail($"unknown {export.Kind.ToString().ToLowerInvariant()}");
            }
        }
    }

    private static void CheckLimits(Limits limits, uint bound, string what)
    {
        if (limits.Minimum > bound || (limits.Maximum is uint max && max > bound))
        {
            Fail(bound == MaxSpecPages ? "memory size must be at most 65536 pages (4GiB)" : $"{what} out of range");
        }

        if (limits.Maximum is uint maximum && limits.Minimum > maximum)
        {
            Fail("size minimum must not be greater than maximum");
        }
    }

    /// <summary>A constant expression must leave exactly one value of the expected type (Core spec 3.3.10).</summary>
    private static void CheckConstant(ModuleDefinition module, ConstantExpression expression, ValueKind expected)
    {
        if (expression.Instructions.Length != 1)
        {
            Fail("type mismatch: a constant expression must give exactly one value");
        }

        ConstantInstruction instruction = expression.Instructions[0];
        ValueKind actual;
        switch (instruction.Operator)
        {
            case ConstantOperator.I32Const:
                actual = ValueKind.I32;
                break;
            case ConstantOperator.I64Const:
                actual = ValueKind.I64;
                break;
            case ConstantOperator.F32Const:
                actual = ValueKind.F32;
                break;
            case ConstantOperator.F64Const:
                actual = ValueKind.F64;
                break;
            case ConstantOperator.RefNull:
                actual = instruction.ReferenceType;
                break;
            case ConstantOperator.RefFunc:
                if (instruction.Index >= (uint)module.FunctionTypes.Count)
                {
                    Fail("unknown function");
                }

                actual = ValueKind.FuncRef;
                break;
            default:
                if (instruction.Index >= (uint)module.ImportedGlobals)
                {
                    Fail("unknown global: constant expressions may read imported globals only");
                }

                GlobalType global = module.GlobalTypes[(int)instruction.Index];
                if (global.Mutable)
                {
                    Fail("constant expression required: the global is mutable");
                }

                actual = global.Type;
                break;
        }

        if (actual != expected)
        {
            Fail($"type mismatch: expected {expected.Name()}, found {actual.Name()}");
        }
    }

    [DoesNotReturn]
    private static void Fail(string reason) => throw new WasmModuleException(ModuleErrorKind.Invalid, reason);
}
