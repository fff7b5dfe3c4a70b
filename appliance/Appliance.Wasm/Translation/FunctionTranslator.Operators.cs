using Appliance.Wasm.Binary;
using Appliance.Wasm.Execution;

namespace Appliance.Wasm.Translation;

/// <summary>
/// Decodes one operator (Core spec 5.4), checks it against the typing rules (Core spec 3.3) and emits it.
/// Fuel cost table: every operator costs 1, calls cost <see cref="CallCost"/>; bulk memory and table
/// operators also pay per element at run time (see the interpreter).
/// </summary>
internal sealed partial class FunctionTranslator
{
    /// <summary>Fuel charged for a call, for the frame set-up it costs.</summary>
    public const int CallCost = 2;

    private const ValueKind I32 = ValueKind.I32;
    private const ValueKind I64 = ValueKind.I64;
    private const ValueKind F32 = ValueKind.F32;
    private const ValueKind F64 = ValueKind.F64;

    private void TranslateOperator(ref WasmReader reader)
    {
        byte opcode = reader.ReadByte();
        ChargeFuel(1);
        switch (opcode)
        {
            case 0x00:
                Emit(new Instruction(OpCode.Unreachable));
                MarkUnreachable();
                break;
            case 0x01:
                break;
            case 0x02:
                TranslateBlock(ref reader, ControlKind.Block);
                break;
            case 0x03:
                TranslateBlock(ref reader, ControlKind.Loop);
                break;
            case 0x04:
                TranslateBlock(ref reader, ControlKind.If);
                break;
            case 0x05:
                TranslateElse();
                break;
            case 0x0B:
                TranslateEnd();
                break;
            case 0x0C:
                TranslateBr(ref reader);
                break;
            case 0x0D:
                TranslateBrIf(ref reader);
                break;
            case 0x0E:
                TranslateBrTable(ref reader);
                break;
            case 0x0F:
                TranslateReturn();
                break;
            case 0x10:
                TranslateCall(ref reader);
                break;
            case 0x11:
                TranslateCallIndirect(ref reader);
                break;
            case 0x1A:
                PopAny();
                break;
            case 0x1B:
                TranslateSelect(null);
                break;
            case 0x1C:
                int count = reader.ReadCount();
                if (count != 1)
                {
                    Fail("invalid result arity: typed select takes one type");
                }

                TranslateSelect(reader.ReadValueType());
                break;
            case 0x20:
                PushLocal(LocalIndex(ref reader));
                break;
            case 0x21:
                TranslateLocalSet(LocalIndex(ref reader), tee: false);
                break;
            case 0x22:
                TranslateLocalSet(LocalIndex(ref reader), tee: true);
                break;
            case 0x23:
                TranslateGlobalGet(ref reader);
                break;
            case 0x24:
                TranslateGlobalSet(ref reader);
                break;
            case 0x25:
                TranslateTableGet(ref reader);
                break;
            case 0x26:
                TranslateTableSet(ref reader);
                break;
            case >= 0x28 and <= 0x35:
                TranslateLoad(ref reader, opcode);
                break;
            case >= 0x36 and <= 0x3E:
                TranslateStore(ref reader, opcode);
                break;
            case 0x3F:
                ReadZeroByte(ref reader);
                RequireMemory();
                Push(I32, new Instruction(OpCode.MemorySize, TopSlot));
                break;
            case 0x40:
                ReadZeroByte(ref reader);
                RequireMemory();
                Unary(OpCode.MemoryGrow, I32, I32);
                break;
            case 0x41:
                PushConst(I32, (uint)reader.ReadS32());
                break;
            case 0x42:
                PushConst(I64, (ulong)reader.ReadS64());
                break;
            case 0x43:
                PushConst(F32, reader.ReadF32Bits());
                break;
            case 0x44:
                PushConst(F64, reader.ReadF64Bits());
                break;
            case >= 0x45 and <= 0xC4:
                TranslateNumeric(opcode);
                break;
            case 0xD0:
                PushConst(reader.ReadReferenceType(), 0);
                break;
            case 0xD1:
                TranslateRefIsNull();
                break;
            case 0xD2:
                TranslateRefFunc(ref reader);
                break;
            case 0xFC:
                TranslatePrefixed(ref reader);
                break;
            default:
                reader.Fail($"illegal opcode 0x{opcode:x2}");
                break;
        }
    }

    private void Push(ValueKind type, Instruction instruction)
    {
        PushTemp(type);
        EmitWithDestination(instruction);
    }

    private void Unary(OpCode op, ValueKind input, ValueKind output)
    {
        int position = _stack.Count - 1;
        int source = PopSlot(input);
        PushTemp(output);
        EmitWithDestination(new Instruction(op, SlotOfPosition(position), source));
    }

    private void Binary(OpCode op, ValueKind input, ValueKind output)
    {
        if (TryBinaryImmediate(op, input, output) || TryFloatFusion(op, input) || TryShiftedOperand(op, input) || TryLoadedOperand(op, input))
        {
            return;
        }

        int position = _stack.Count - 2;
        int right = PopSlot(input);
        int left = PopSlot(input);
        PushTemp(output);
        EmitWithDestination(new Instruction(op, SlotOfPosition(position), left, right));
    }

    /// <summary>An operator that changes only the type, not the bits (reinterpretations, zero extension).</summary>
    private void Retype(ValueKind input, ValueKind output)
    {
        Operand operand = Pop(input);
        if (operand.Kind == OperandKind.Local)
        {
            _pendingLocalReads[operand.Local]++;
        }

        operand.Type = output;
        _stack.Add(operand);
    }

    private void TranslateNumeric(byte opcode)
    {
        var op = (OpCode)opcode;
        switch (opcode)
        {
            case 0x45:
                Unary(op, I32, I32);
                break;
            case <= 0x4F:
                Binary(op, I32, I32);
                break;
            case 0x50:
                Unary(op, I64, I32);
                break;
            case <= 0x5A:
                Binary(op, I64, I32);
                break;
            case <= 0x60:
                Binary(op, F32, I32);
                break;
            case <= 0x66:
                Binary(op, F64, I32);
                break;
            case <= 0x69:
                Unary(op, I32, I32);
                break;
            case <= 0x78:
                Binary(op, I32, I32);
                break;
            case <= 0x7B:
                Unary(op, I64, I64);
                break;
            case <= 0x8A:
                Binary(op, I64, I64);
                break;
            case <= 0x91:
                Unary(op, F32, F32);
                break;
            case <= 0x98:
                Binary(op, F32, F32);
                break;
            case <= 0x9F:
                Unary(op, F64, F64);
                break;
            case <= 0xA6:
                Binary(op, F64, F64);
                break;
            case 0xA7:
                Unary(op, I64, I32);
                break;
            case 0xA8 or 0xA9:
                Unary(op, F32, I32);
                break;
            case 0xAA or 0xAB:
                Unary(op, F64, I32);
                break;
            case 0xAC:
                Unary(op, I32, I64);
                break;
            case 0xAD:
                Retype(I32, I64); // i32 values are kept zero-extended, so extend_i32_u changes nothing
                break;
            case 0xAE or 0xAF:
                Unary(op, F32, I64);
                break;
            case 0xB0 or 0xB1:
                Unary(op, F64, I64);
                break;
            case 0xB2 or 0xB3:
                Unary(op, I32, F32);
                break;
            case 0xB4 or 0xB5:
                Unary(op, I64, F32);
                break;
            case 0xB6:
                Unary(op, F64, F32);
                break;
            case 0xB7 or 0xB8:
                Unary(op, I32, F64);
                break;
            case 0xB9 or 0xBA:
                Unary(op, I64, F64);
                break;
            case 0xBB:
                Unary(op, F32, F64);
                break;
            case 0xBC:
                Retype(F32, I32);
                break;
            case 0xBD:
                Retype(F64, I64);
                break;
            case 0xBE:
                Retype(I32, F32);
                break;
            case 0xBF:
                Retype(I64, F64);
                break;
            case 0xC0 or 0xC1:
                Unary(op, I32, I32);
                break;
            default:
                Unary(op, I64, I64);
                break;
        }
    }

    private int LocalIndex(ref WasmReader reader)
    {
        uint index = reader.ReadU32();
        if (index >= (uint)_localCount)
        {
            Fail("unknown local");
        }

        return (int)index;
    }

    private void TranslateLocalSet(int local, bool tee)
    {
        int position = _stack.Count - 1;
        ValueKind type = _localTypes[local];
        Operand value = Pop(type);
        bool written = false;
        if (value.Kind == OperandKind.Local && value.Local == local)
        {
            written = true; // local.set x of local.get x changes nothing
        }
        else if (_pendingLocalReads[local] > 0)
        {
            MaterializeReadsOf(local);
        }
        else if (value.Kind == OperandKind.Temp && _lastDestinationInstruction >= 0
            && _lastDestinationInstruction == _code.Count - 1 && _code[^1].A == SlotOfPosition(position))
        {
            // The value was just computed into its stack slot: compute it straight into the local instead.
            Instruction retargeted = _code[^1];
            retargeted.A = local;
            _code[^1] = retargeted;
            written = true;
        }

        if (!written)
        {
            switch (value.Kind)
            {
                case OperandKind.Const:
                    Emit(new Instruction(OpCode.Const, local, imm: value.Value));
                    break;
                case OperandKind.Local:
                    Emit(new Instruction(OpCode.Copy, local, value.Local));
                    break;
                default:
                    Emit(new Instruction(OpCode.Copy, local, SlotOfPosition(position)));
                    break;
            }
        }

        _lastDestinationInstruction = -1;
        if (tee)
        {
            PushLocal(local);
        }
    }

    private void TranslateSelect(ValueKind? declared)
    {
        int position = _stack.Count - 3;
        int condition = PopSlot(I32);
        Operand second = declared is ValueKind t2 ? Pop(t2) : PopAny();
        int secondSlot = SlotOf(second, position + 1);
        Operand first = declared is ValueKind t1 ? Pop(t1) : PopAny();
        int firstSlot = SlotOf(first, position);
        ValueKind? type = declared ?? first.Type ?? second.Type;
        if (declared is null)
        {
            if ((first.Type is ValueKind a && !a.IsNumeric()) || (second.Type is ValueKind b && !b.IsNumeric()))
            {
                Fail("type mismatch: select without a type takes numeric operands");
            }

            if (first.Type is ValueKind x && second.Type is ValueKind y && x != y)
            {
                Fail("type mismatch: select operands differ");
            }
        }

        PushTemp(type);
        EmitWithDestination(new Instruction(OpCode.Select, SlotOfPosition(position), firstSlot, secondSlot, (ulong)condition));
    }

    private void TranslateGlobalGet(ref WasmReader reader)
    {
        uint index = reader.ReadU32();
        if (index >= (uint)_module.GlobalTypes.Count)
        {
            Fail("unknown global");
        }

        Push(_module.GlobalTypes[(int)index].Type, new Instruction(OpCode.GlobalGet, TopSlot, imm: index));
    }

    private void TranslateGlobalSet(ref WasmReader reader)
    {
        uint index = reader.ReadU32();
        if (index >= (uint)_module.GlobalTypes.Count)
        {
            Fail("unknown global");
        }

        GlobalType global = _module.GlobalTypes[(int)index];
        if (!global.Mutable)
        {
            Fail("global is immutable");
        }

        int value = PopSlot(global.Type);
        Emit(new Instruction(OpCode.GlobalSet, b: value, imm: index));
    }

    private TableType Table(uint index)
    {
        if (index >= (uint)_module.Tables.Count)
        {
            Fail("unknown table");
        }

        return _module.Tables[(int)index];
    }

    private void TranslateTableGet(ref WasmReader reader)
    {
        uint index = reader.ReadU32();
        TableType table = Table(index);
        int position = _stack.Count - 1;
        int element = PopSlot(I32);
        PushTemp(table.ElementType);
        EmitWithDestination(new Instruction(OpCode.TableGet, SlotOfPosition(position), element, imm: index));
    }

    private void TranslateTableSet(ref WasmReader reader)
    {
        uint index = reader.ReadU32();
        TableType table = Table(index);
        int value = PopSlot(table.ElementType);
        int element = PopSlot(I32);
        Emit(new Instruction(OpCode.TableSet, element, value, imm: index));
    }

    private void RequireMemory()
    {
        if (_module.Memories.Count == 0)
        {
            Fail("unknown memory 0");
        }
    }

    private static void ReadZeroByte(ref WasmReader reader)
    {
        if (reader.ReadByte() != 0)
        {
            reader.Fail("zero byte expected");
        }
    }

    // memarg ::= a:u32 o:u32 (Core spec 5.4.6); a is the log2 of the alignment hint.
    private uint ReadMemoryArgument(ref WasmReader reader, int naturalLog2)
    {
        uint align = reader.ReadU32();
        uint offset = reader.ReadU32();
        RequireMemory();
        if (align > naturalLog2)
        {
            Fail("alignment must not be larger than natural");
        }

        return offset;
    }

    private void TranslateLoad(ref WasmReader reader, byte opcode)
    {
        (ValueKind type, int natural) = opcode switch
        {
            0x28 => (I32, 2),
            0x29 => (I64, 3),
            0x2A => (F32, 2),
            0x2B => (F64, 3),
            0x2C or 0x2D => (I32, 0),
            0x2E or 0x2F => (I32, 1),
            0x30 or 0x31 => (I64, 0),
            0x32 or 0x33 => (I64, 1),
            _ => (I64, 2),
        };
        uint offset = ReadMemoryArgument(ref reader, natural);
        int position = _stack.Count - 1;
        bool folded = TryTakeAddressAddend(position, out int baseSlot, out int addend);
        var op = (OpCode)opcode;
        int shift = 0;
        if (ScaledForm(op) is OpCode scaled && TryTakeAddressShift(position, folded, baseSlot, out baseSlot, out shift))
        {
            (op, folded) = (scaled, true);
        }

        int address = PopSlot(I32);
        PushTemp(type);
        EmitWithDestination(new Instruction(op, SlotOfPosition(position), folded ? baseSlot : address, addend, offset) { Cost = (ushort)shift });
    }

    private void TranslateStore(ref WasmReader reader, byte opcode)
    {
        (ValueKind type, int natural) = opcode switch
        {
            0x36 => (I32, 2),
            0x37 => (I64, 3),
            0x38 => (F32, 2),
            0x39 => (F64, 3),
            0x3A => (I32, 0),
            0x3B => (I32, 1),
            0x3C => (I64, 0),
            0x3D => (I64, 1),
            _ => (I64, 2),
        };
        uint offset = ReadMemoryArgument(ref reader, natural);
        int addressPosition = _stack.Count - 2;
        int baseSlot = 0, addend = 0;
        bool folded = _stack.Count - 1 >= _controls[^1].Height && _stack[^1].Kind != OperandKind.Temp
            && TryTakeAddressAddend(addressPosition, out baseSlot, out addend);
        if (TryStoreImmediateForm(opcode, type, out OpCode form, out int constant))
        {
            Pop(type);
            int target = PopSlot(I32);
            Emit(new Instruction(form, folded ? addend : 0, folded ? baseSlot : target, constant, offset));
            return;
        }

        var op = (OpCode)opcode;
        int shift = 0;
        if (_stack.Count - 1 >= _controls[^1].Height && _stack[^1].Kind != OperandKind.Temp && ScaledForm(op) is OpCode scaled
            && TryTakeAddressShift(addressPosition, folded, baseSlot, out baseSlot, out shift))
        {
            (op, folded) = (scaled, true);
        }

        int value = PopSlot(type);
        int address = PopSlot(I32);
        Emit(new Instruction(op, folded ? addend : 0, folded ? baseSlot : address, value, offset) { Cost = (ushort)shift });
    }

    /// <summary>The store-a-constant form of a store whose value on top of the stack is a constant that fits in C, or false.</summary>
    private bool TryStoreImmediateForm(byte opcode, ValueKind type, out OpCode form, out int constant)
    {
        form = default;
        constant = 0;
        if (_stack.Count - 1 < _controls[^1].Height || _stack[^1].Kind != OperandKind.Const || _stack[^1].Type != type)
        {
            return false;
        }

        ulong value = _stack[^1].Value;
        switch (opcode)
        {
            case 0x3A or 0x3C: // i32.store8, i64.store8
                form = OpCode.Store8Imm;
                break;
            case 0x3B or 0x3D: // i32.store16, i64.store16
                form = OpCode.Store16Imm;
                break;
            case 0x36 or 0x38 or 0x3E: // i32.store, f32.store, i64.store32
                form = OpCode.Store32Imm;
                break;
            default: // i64.store, f64.store: only values that are a sign-extended i32
                if ((long)value != (int)value)
                {
                    return false;
                }

                form = OpCode.Store64Imm;
                break;
        }

        constant = (int)(uint)value;
        return true;
    }

    private void TranslateRefIsNull()
    {
        int position = _stack.Count - 1;
        Operand operand = PopAny();
        if (operand.Type is ValueKind type && !type.IsReference())
        {
            Fail("type mismatch: ref.is_null takes a reference");
        }

        int source = SlotOf(operand, position);
        PushTemp(I32);
        EmitWithDestination(new Instruction(OpCode.RefIsNull, SlotOfPosition(position), source));
    }

    private void TranslateRefFunc(ref WasmReader reader)
    {
        uint function = reader.ReadU32();
        if (function >= (uint)_module.FunctionTypes.Count)
        {
            Fail("unknown function");
        }

        if (!_context.DeclaredFunctions.Contains(function))
        {
            Fail("undeclared function reference");
        }

        Push(ValueKind.FuncRef, new Instruction(OpCode.RefFunc, TopSlot, imm: function));
    }

    private void TranslatePrefixed(ref WasmReader reader)
    {
        uint sub = reader.ReadU32();
        switch (sub)
        {
            case <= 7:
                (ValueKind input, ValueKind output) = sub switch
                {
                    0 or 1 => (F32, I32),
                    2 or 3 => (F64, I32),
                    4 or 5 => (F32, I64),
                    _ => (F64, I64),
                };
                Unary((OpCode)(0xC8 + sub), input, output);
                break;
            case 8:
                uint segment = reader.ReadU32();
                ReadZeroByte(ref reader);
                RequireMemory();
                RequireDataSegment(ref reader, segment);
                ThreeOperands(OpCode.MemoryInit, I32, I32, I32, segment);
                break;
            case 9:
                uint dropped = reader.ReadU32();
                RequireDataSegment(ref reader, dropped);
                Emit(new Instruction(OpCode.DataDrop, imm: dropped));
                break;
            case 10:
                ReadZeroByte(ref reader);
                ReadZeroByte(ref reader);
                RequireMemory();
                ThreeOperands(OpCode.MemoryCopy, I32, I32, I32, 0);
                break;
            case 11:
                ReadZeroByte(ref reader);
                RequireMemory();
                ThreeOperands(OpCode.MemoryFill, I32, I32, I32, 0);
                break;
            case 12:
                uint element = reader.ReadU32();
                uint table = reader.ReadU32();
                TableType target = Table(table);
                ValueKind elementType = ElementSegmentType(element);
                if (elementType != target.ElementType)
                {
                    Fail("type mismatch: element segment and table types differ");
                }

                ThreeOperands(OpCode.TableInit, I32, I32, I32, element | ((ulong)table << 32));
                break;
            case 13:
                uint droppedElement = reader.ReadU32();
                ElementSegmentType(droppedElement);
                Emit(new Instruction(OpCode.ElemDrop, imm: droppedElement));
                break;
            case 14:
                uint destination = reader.ReadU32();
                uint source = reader.ReadU32();
                if (Table(destination).ElementType != Table(source).ElementType)
                {
                    Fail("type mismatch: table.copy between tables of different types");
                }

                ThreeOperands(OpCode.TableCopy, I32, I32, I32, destination | ((ulong)source << 32));
                break;
            case 15:
                uint grown = reader.ReadU32();
                TableType grownTable = Table(grown);
                int position = _stack.Count - 2;
                int delta = PopSlot(I32);
                int initial = PopSlot(grownTable.ElementType);
                PushTemp(I32);
                EmitWithDestination(new Instruction(OpCode.TableGrow, SlotOfPosition(position), initial, delta, grown));
                break;
            case 16:
                uint sized = reader.ReadU32();
                Table(sized);
                Push(I32, new Instruction(OpCode.TableSize, TopSlot, imm: sized));
                break;
            case 17:
                uint filled = reader.ReadU32();
                ThreeOperands(OpCode.TableFill, I32, Table(filled).ElementType, I32, filled);
                break;
            default:
                reader.Fail($"illegal opcode 0xfc {sub}");
                break;
        }
    }

    private void ThreeOperands(OpCode op, ValueKind first, ValueKind second, ValueKind third, ulong immediate)
    {
        int c = PopSlot(third);
        int b = PopSlot(second);
        int a = PopSlot(first);
        Emit(new Instruction(op, a, b, c, immediate));
    }

    private void RequireDataSegment(ref WasmReader reader, uint segment)
    {
        if (_module.DataCount is not int count)
        {
            reader.Fail("data count section required");
            return;
        }

        if (segment >= (uint)count)
        {
            Fail("unknown data segment");
        }
    }

    private ValueKind ElementSegmentType(uint segment)
    {
        if (segment >= (uint)_module.Elements.Count)
        {
            Fail("unknown elem segment");
        }

        return _module.Elements[(int)segment].ElementType;
    }
}
