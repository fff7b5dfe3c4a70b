namespace Appliance.Wasm.Binary;

/// <summary>Element, code and data sections, and constant expressions.</summary>
internal static partial class ModuleDecoder
{
    /// <summary>Most operators in one constant expression; 2.0 needs one, the rest only to report a type error.</summary>
    private const int MaxConstantOperators = 16;

    // expr ::= (in:instr)* 0x0B, restricted to the constant operators (Core spec 3.3.10, 5.4.9)
    private static ConstantExpression ReadConstantExpression(ref WasmReader r)
    {
        int offset = r.Offset;
        var instructions = new List<ConstantInstruction>(1);
        while (true)
        {
            byte opcode = r.ReadByte();
            ConstantInstruction instruction;
            switch (opcode)
            {
                case 0x0B:
                    return new ConstantExpression([.. instructions], offset);
                case 0x41:
                    instruction = new ConstantInstruction(ConstantOperator.I32Const, (uint)r.ReadS32(), 0);
                    break;
                case 0x42:
                    instruction = new ConstantInstruction(ConstantOperator.I64Const, (ulong)r.ReadS64(), 0);
                    break;
                case 0x43:
                    instruction = new ConstantInstruction(ConstantOperator.F32Const, r.ReadF32Bits(), 0);
                    break;
                case 0x44:
                    instruction = new ConstantInstruction(ConstantOperator.F64Const, r.ReadF64Bits(), 0);
                    break;
                case 0xD0:
                    instruction = new ConstantInstruction(ConstantOperator.RefNull, 0, 0, r.ReadReferenceType());
                    break;
                case 0xD2:
                    instruction = new ConstantInstruction(ConstantOperator.RefFunc, 0, r.ReadU32());
                    break;
                case 0x23:
                    instruction = new ConstantInstruction(ConstantOperator.GlobalGet, 0, r.ReadU32());
                    break;
                default:
                    // Any other operator makes the expression non-constant, which is a validation error.
                    throw new WasmModuleException(ModuleErrorKind.Invalid, "constant expression required", r.Offset - 1);
            }

            if (instructions.Count == MaxConstantOperators)
            {
                throw new WasmModuleException(ModuleErrorKind.Invalid, "type mismatch: constant expression has too many operators", r.Offset);
            }

            instructions.Add(instruction);
        }
    }

    // elem ::= 0:u32 e:expr y*:vec(funcidx)                      active, table 0, funcref
    //        | 1:u32 et:elemkind y*:vec(funcidx)                  passive
    //        | 2:u32 x:tableidx e:expr et:elemkind y*:vec(funcidx) active
    //        | 3:u32 et:elemkind y*:vec(funcidx)                  declarative
    //        | 4:u32 e:expr el*:vec(expr)                         active, table 0, funcref
    //        | 5:u32 et:reftype el*:vec(expr)                     passive
    //        | 6:u32 x:tableidx e:expr et:reftype el*:vec(expr)   active
    //        | 7:u32 et:reftype el*:vec(expr)                     declarative   (Core spec 5.5.12)
    private static void ReadElements(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxElementSegments, "element segments");
        int items = 0;
        for (int i = 0; i < count; i++)
        {
            uint flags = r.ReadU32();
            if (flags > 7)
            {
                r.Fail("malformed elements segment kind");
            }

            bool passiveOrDeclarative = (flags & 1) != 0;
            bool explicitTable = (flags & 2) != 0;
            bool expressions = (flags & 4) != 0;
            SegmentMode mode = !passiveOrDeclarative ? SegmentMode.Active : explicitTable ? SegmentMode.Declarative : SegmentMode.Passive;

            int table = 0;
            ConstantExpression? offset = null;
            if (mode == SegmentMode.Active)
            {
                if (explicitTable)
                {
                    table = r.ReadCount();
                }

                offset = ReadConstantExpression(ref r);
            }

            ValueKind elementType = ValueKind.FuncRef;
            if (passiveOrDeclarative || explicitTable)
            {
                if (expressions)
                {
                    elementType = r.ReadReferenceType();
                }
                else if (r.ReadByte() != 0x00)
                {
                    r.Fail("malformed element kind");
                }
            }

            int length = r.ReadVectorLength(limits.MaxElementItems, "element items");
            items += length;
            if (items > limits.MaxElementItems)
            {
                throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"more than {limits.MaxElementItems} element items", r.Offset);
            }

            var entries = new ConstantExpression[length];
            for (int j = 0; j < length; j++)
            {
                if (expressions)
                {
                    entries[j] = ReadConstantExpression(ref r);
                }
                else
                {
                    int at = r.Offset;
                    entries[j] = new ConstantExpression([new ConstantInstruction(ConstantOperator.RefFunc, 0, r.ReadU32())], at);
                }
            }

            module.Elements.Add(new ElementSegment(mode, elementType, table, offset, entries));
        }
    }

    // code ::= size:u32 code:func ; func ::= (t*)*:vec(locals) e:expr ; locals ::= n:u32 t:valtype (Core spec 5.5.13)
    private static void ReadCode(ref WasmReader r, ModuleDefinition module, ModuleLimits limits, int declaredFunctions)
    {
        int count = r.ReadVectorLength(limits.MaxFunctions, "function bodies");
        if (count != declaredFunctions)
        {
            r.Fail("function and code section have inconsistent lengths");
        }

        for (int i = 0; i < count; i++)
        {
            uint size = r.ReadU32();
            if (size > (uint)r.Remaining)
            {
                r.Fail("unexpected end: function body size");
            }

            if (size > (uint)limits.MaxFunctionBodyBytes)
            {
                throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"function body of {size} bytes exceeds the limit of {limits.MaxFunctionBodyBytes}", r.Offset);
            }

            var body = new WasmReader(r.ReadBytes((int)size), r.Offset - (int)size);

            int groups = body.ReadVectorLength(limits.MaxLocals, "local declarations");
            int parameterCount = module.FunctionTypes.Count > module.ImportedFunctions + i
                && module.FunctionTypes[module.ImportedFunctions + i] is int typeIndex && typeIndex < module.Types.Count
                ? module.Types[typeIndex].Parameters.Count
                : 0;
            long total = parameterCount;
            var locals = new List<ValueKind>();
            for (int g = 0; g < groups; g++)
            {
                uint n = body.ReadU32();
                total += n;
                if (total > uint.MaxValue)
                {
                    body.Fail("too many locals");
                }

                if (total > limits.MaxLocals)
                {
                    throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"more than {limits.MaxLocals} locals in one function", body.Offset);
                }

                ValueKind type = body.ReadValueType();
                for (uint k = 0; k < n; k++)
                {
                    locals.Add(type);
                }
            }

            module.Bodies.Add(new FunctionBody([.. locals], body.Offset, body.Remaining));
        }
    }

    // data ::= 0:u32 e:expr b*:vec(byte) | 1:u32 b*:vec(byte) | 2:u32 x:memidx e:expr b*:vec(byte) (Core spec 5.5.14)
    private static void ReadData(ref WasmReader r, ModuleDefinition module, ModuleLimits limits)
    {
        int count = r.ReadVectorLength(limits.MaxDataSegments, "data segments");
        for (int i = 0; i < count; i++)
        {
            uint flags = r.ReadU32();
            SegmentMode mode;
            int memory = 0;
            ConstantExpression? offset = null;
            switch (flags)
            {
                case 0:
                    mode = SegmentMode.Active;
                    offset = ReadConstantExpression(ref r);
                    break;
                case 1:
                    mode = SegmentMode.Passive;
                    break;
                case 2:
                    mode = SegmentMode.Active;
                    memory = r.ReadCount();
                    offset = ReadConstantExpression(ref r);
                    break;
                default:
                    r.Fail("malformed data segment kind");
                    return;
            }

            uint length = r.ReadU32();
            if (length > (uint)r.Remaining)
            {
                r.Fail("unexpected end of section or function: data segment length out of bounds");
            }

            int dataOffset = r.Offset;
            r.ReadBytes((int)length);
            module.Data.Add(new DataSegment(mode, memory, offset, dataOffset, (int)length));
        }
    }
}
