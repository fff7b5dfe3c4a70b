using Appliance.Wasm.Execution;

namespace Appliance.Wasm.Translation;

/// <summary>
/// Fused instructions: a constant right operand becomes an immediate (<c>x + 1</c> is one instruction, not
/// two), and a comparison that feeds br_if or if becomes a compare-and-branch. Measured on the sieve and CRC
/// kernels, these remove about a third of the dispatches in inner loops.
/// </summary>
internal sealed partial class FunctionTranslator
{
    /// <summary>The immediate form of an i32 operator with a constant right operand, or null.</summary>
    private static OpCode? I32ImmediateForm(OpCode op) => op switch
    {
        OpCode.I32Add => OpCode.I32AddImm,
        OpCode.I32Mul => OpCode.I32MulImm,
        OpCode.I32And => OpCode.I32AndImm,
        OpCode.I32Or => OpCode.I32OrImm,
        OpCode.I32Xor => OpCode.I32XorImm,
        OpCode.I32Shl => OpCode.I32ShlImm,
        OpCode.I32ShrS => OpCode.I32ShrSImm,
        OpCode.I32ShrU => OpCode.I32ShrUImm,
        OpCode.I32Eq => OpCode.I32EqImm,
        OpCode.I32Ne => OpCode.I32NeImm,
        OpCode.I32LtS => OpCode.I32LtSImm,
        OpCode.I32LtU => OpCode.I32LtUImm,
        OpCode.I32GtS => OpCode.I32GtSImm,
        OpCode.I32GtU => OpCode.I32GtUImm,
        OpCode.I32LeS => OpCode.I32LeSImm,
        OpCode.I32LeU => OpCode.I32LeUImm,
        OpCode.I32GeS => OpCode.I32GeSImm,
        OpCode.I32GeU => OpCode.I32GeUImm,
        OpCode.I32Rotl => OpCode.I32RotlImm,
        OpCode.I32Rotr => OpCode.I32RotrImm,
        _ => null,
    };

    private static OpCode? I64ImmediateForm(OpCode op) => op switch
    {
        OpCode.I64Add => OpCode.I64AddImm,
        OpCode.I64And => OpCode.I64AndImm,
        OpCode.I64Shl => OpCode.I64ShlImm,
        OpCode.I64ShrU => OpCode.I64ShrUImm,
        OpCode.I64Or => OpCode.I64OrImm,
        OpCode.I64ShrS => OpCode.I64ShrSImm,
        OpCode.I64Rotl => OpCode.I64RotlImm,
        OpCode.I64Mul => OpCode.I64MulImm,
        OpCode.I64Xor => OpCode.I64XorImm,
        _ => null,
    };

    private static bool IsCommutative(OpCode op) =>
        op is OpCode.I32Add or OpCode.I32Mul or OpCode.I32And or OpCode.I32Or or OpCode.I32Xor or OpCode.I32Eq or OpCode.I32Ne
            or OpCode.I64Add or OpCode.I64And or OpCode.I64Or or OpCode.I64Mul or OpCode.I64Xor;

    /// <summary>Emits a binary operator with a constant operand as its immediate form; false when there is none.</summary>
    private bool TryBinaryImmediate(OpCode op, ValueKind input, ValueKind output)
    {
        if (_stack.Count - 2 < _controls[^1].Height || input is not (ValueKind.I32 or ValueKind.I64))
        {
            return false;
        }

        Operand right = _stack[^1];
        Operand left = _stack[^2];
        bool swap = right.Kind != OperandKind.Const && left.Kind == OperandKind.Const && IsCommutative(op);
        Operand constant = swap ? left : right;
        if (constant.Kind != OperandKind.Const || constant.Type != input || (swap ? right : left).Type != input)
        {
            return false;
        }

        ulong value = constant.Value;
        if (op == OpCode.I32Sub)
        {
            (op, value) = (OpCode.I32Add, (uint)(0u - (uint)value));
        }
        else if (op == OpCode.I64Sub)
        {
            (op, value) = (OpCode.I64Add, 0UL - value);
        }

        OpCode? immediate = input == ValueKind.I32 ? I32ImmediateForm(op) : I64ImmediateForm(op);
        if (immediate is not OpCode form)
        {
            return false;
        }

        int position = _stack.Count - 2;
        int operand;
        if (swap)
        {
            Operand variable = PopAny();
            int variableSlot = SlotOf(variable, position + 1);
            PopAny();
            operand = variableSlot;
        }
        else
        {
            PopAny();
            operand = PopSlot(input);
        }

        PushTemp(output);
        EmitWithDestination(input == ValueKind.I32
            ? new Instruction(form, SlotOfPosition(position), operand, (int)(uint)value)
            : new Instruction(form, SlotOfPosition(position), operand, imm: value));
        return true;
    }

    /// <summary>
    /// When the branch condition on top of the stack was just computed by a comparison, takes that comparison
    /// back out of the code so the branch can do it itself. Returns the comparison, or null.
    /// </summary>
    private Instruction? TakeConditionComparison()
    {
        if (_stack.Count - 1 < _controls[^1].Height || !Reachable)
        {
            return null;
        }

        Operand condition = _stack[^1];
        if (condition.Kind != OperandKind.Temp || _lastDestinationInstruction < 0 || _lastDestinationInstruction != _code.Count - 1)
        {
            return null;
        }

        Instruction last = _code[^1];
        if (last.A != SlotOfPosition(_stack.Count - 1) || FusedBranch(last.Op, negate: false) is null)
        {
            return null;
        }

        _code.RemoveAt(_code.Count - 1);
        _lastDestinationInstruction = -1;
        return last;
    }

    /// <summary>The compare-and-branch for a comparison (or its negation), or null when it has none.</summary>
    private static OpCode? FusedBranch(OpCode comparison, bool negate) => (comparison, negate) switch
    {
        (OpCode.I32Eqz, false) => OpCode.BrIfEqz,
        (OpCode.I32Eqz, true) => OpCode.BrIfNez,
        (OpCode.I32Eq, false) or (OpCode.I32Ne, true) => OpCode.BrI32Eq,
        (OpCode.I32Ne, false) or (OpCode.I32Eq, true) => OpCode.BrI32Ne,
        (OpCode.I32LtS, false) or (OpCode.I32GeS, true) => OpCode.BrI32LtS,
        (OpCode.I32LtU, false) or (OpCode.I32GeU, true) => OpCode.BrI32LtU,
        (OpCode.I32GtS, false) or (OpCode.I32LeS, true) => OpCode.BrI32GtS,
        (OpCode.I32GtU, false) or (OpCode.I32LeU, true) => OpCode.BrI32GtU,
        (OpCode.I32LeS, false) or (OpCode.I32GtS, true) => OpCode.BrI32LeS,
        (OpCode.I32LeU, false) or (OpCode.I32GtU, true) => OpCode.BrI32LeU,
        (OpCode.I32GeS, false) or (OpCode.I32LtS, true) => OpCode.BrI32GeS,
        (OpCode.I32GeU, false) or (OpCode.I32LtU, true) => OpCode.BrI32GeU,
        (OpCode.I32EqImm, false) or (OpCode.I32NeImm, true) => OpCode.BrI32EqImm,
        (OpCode.I32NeImm, false) or (OpCode.I32EqImm, true) => OpCode.BrI32NeImm,
        (OpCode.I32LtSImm, false) or (OpCode.I32GeSImm, true) => OpCode.BrI32LtSImm,
        (OpCode.I32LtUImm, false) or (OpCode.I32GeUImm, true) => OpCode.BrI32LtUImm,
        (OpCode.I32GtSImm, false) or (OpCode.I32LeSImm, true) => OpCode.BrI32GtSImm,
        (OpCode.I32GtUImm, false) or (OpCode.I32LeUImm, true) => OpCode.BrI32GtUImm,
        (OpCode.I32LeSImm, false) or (OpCode.I32GtSImm, true) => OpCode.BrI32LeSImm,
        (OpCode.I32LeUImm, false) or (OpCode.I32GtUImm, true) => OpCode.BrI32LeUImm,
        (OpCode.I32GeSImm, false) or (OpCode.I32LtSImm, true) => OpCode.BrI32GeSImm,
        (OpCode.I32GeUImm, false) or (OpCode.I32LtUImm, true) => OpCode.BrI32GeUImm,
        _ => null,
    };

    /// <summary>The conditional jump for a condition: fused with its comparison when there is one.</summary>
    private static Instruction ConditionalJump(Instruction? comparison, int conditionSlot, bool whenTrue)
    {
        if (comparison is Instruction compare && FusedBranch(compare.Op, negate: !whenTrue) is OpCode fused)
        {
            return new Instruction(fused, b: compare.B, c: compare.C);
        }

        return new Instruction(whenTrue ? OpCode.BrIfNez : OpCode.BrIfEqz, b: conditionSlot);
    }

    /// <summary>
    /// When the address at <paramref name="position"/> was just computed by <c>base + constant</c>, takes that
    /// add back out of the code so the load or store adds the constant itself (see <see cref="OpCode"/>).
    /// </summary>
    private bool TryTakeAddressAddend(int position, out int baseSlot, out int addend)
    {
        baseSlot = 0;
        addend = 0;
        if (position < _controls[^1].Height || !Reachable || _stack[position].Kind != OperandKind.Temp
            || _lastDestinationInstruction < 0 || _lastDestinationInstruction != _code.Count - 1)
        {
            return false;
        }

        Instruction last = _code[^1];
        if (last.Op != OpCode.I32AddImm || last.A != SlotOfPosition(position))
        {
            return false;
        }

        _code.RemoveAt(_code.Count - 1);
        _lastDestinationInstruction = -1;
        baseSlot = last.B;
        addend = last.C;
        return true;
    }

    /// <summary>
    /// A conditional jump that tests the result of the i32 add just before it (a loop's counter: <c>i += k;
    /// if (i != n) continue</c>, or <c>j += step; if (j &lt; n) continue</c>) becomes one instruction that adds and
    /// jumps: the add is taken back out of the code and its addend (a constant, or the slot that holds it) goes in D.
    /// </summary>
    private Instruction FuseIncrement(Instruction jump)
    {
        if (!LastIsFusable || _code[^1].Op is not (OpCode.I32AddImm or OpCode.I32Add))
        {
            return jump;
        }

        Instruction add = _code[^1];
        bool slotAddend = add.Op == OpCode.I32Add;
        OpCode? fused = null;
        int right = jump.C;
        if (jump.B == add.A)
        {
            fused = IncrementForm(jump.Op, slotAddend);
        }
        else if (jump.C == add.A && jump.Op is >= OpCode.BrI32Eq and <= OpCode.BrI32GeU)
        {
            fused = IncrementForm(Swapped(jump.Op), slotAddend); // n > i is i < n
            right = jump.B;
        }

        if (fused is not OpCode form)
        {
            return jump;
        }

        _code.RemoveAt(_code.Count - 1);
        _lastDestinationInstruction = -1;
        return new Instruction(form, add.A, add.B, right) { D = add.C, Cost = jump.Cost, Jump = jump.Jump };
    }

    /// <summary>The add-then-jump form of a conditional jump, or null.</summary>
    private static OpCode? IncrementForm(OpCode jump, bool slotAddend) => jump switch
    {
        OpCode.BrIfNez => slotAddend ? OpCode.AddSlotBrIfNez : OpCode.AddBrIfNez,
        OpCode.BrIfEqz => slotAddend ? OpCode.AddSlotBrIfEqz : OpCode.AddBrIfEqz,
        >= OpCode.BrI32Eq and <= OpCode.BrI32GeU => (slotAddend ? OpCode.AddSlotBrI32Eq : OpCode.AddBrI32Eq) + (jump - OpCode.BrI32Eq),
        >= OpCode.BrI32EqImm and <= OpCode.BrI32GeUImm => (slotAddend ? OpCode.AddSlotBrI32EqImm : OpCode.AddBrI32EqImm) + (jump - OpCode.BrI32EqImm),
        _ => null,
    };

    /// <summary>The comparison with its operands swapped: a &lt; b is b &gt; a.</summary>
    private static OpCode Swapped(OpCode jump) => jump switch
    {
        OpCode.BrI32LtS => OpCode.BrI32GtS,
        OpCode.BrI32LtU => OpCode.BrI32GtU,
        OpCode.BrI32GtS => OpCode.BrI32LtS,
        OpCode.BrI32GtU => OpCode.BrI32LtU,
        OpCode.BrI32LeS => OpCode.BrI32GeS,
        OpCode.BrI32LeU => OpCode.BrI32GeU,
        OpCode.BrI32GeS => OpCode.BrI32LeS,
        OpCode.BrI32GeU => OpCode.BrI32LeU,
        _ => jump, // eq, ne
    };

    /// <summary>
    /// When the value at <paramref name="position"/> was just computed by an instruction that <paramref name="accepts"/>,
    /// takes that instruction back out of the code so that the operator about to be emitted can do its work itself.
    /// </summary>
    private bool TryTakeProducer(int position, Func<OpCode, bool> accepts, out Instruction producer)
    {
        producer = default;
        if (position < _controls[^1].Height || !LastIsFusable || _stack[position].Kind != OperandKind.Temp
            || _lastDestinationInstruction != _code.Count - 1)
        {
            return false;
        }

        Instruction last = _code[^1];
        if (last.A != SlotOfPosition(position) || !accepts(last.Op))
        {
            return false;
        }

        _code.RemoveAt(_code.Count - 1);
        _lastDestinationInstruction = -1;
        producer = last;
        return true;
    }

    /// <summary>
    /// Float superinstructions: an operand loaded just before the operator (<c>x * a[i]</c>) is loaded by the
    /// operator itself, and a product that feeds an add (<c>acc + x * y</c>), or a sum that feeds one, is computed
    /// with it, each rounded as the two operators round: nothing is fused into a multiply-add of one rounding.
    /// </summary>
    private bool TryFloatFusion(OpCode op, ValueKind type)
    {
        if (type is not (ValueKind.F32 or ValueKind.F64) || _stack.Count - 2 < _controls[^1].Height)
        {
            return false;
        }

        bool f64 = type == ValueKind.F64;
        int left = _stack.Count - 2;
        int right = _stack.Count - 1;
        OpCode load = f64 ? OpCode.F64Load : OpCode.F32Load;
        OpCode multiply = f64 ? OpCode.F64Mul : OpCode.F32Mul;
        OpCode add = f64 ? OpCode.F64Add : OpCode.F32Add;
        OpCode? loading = (op, f64) switch
        {
            (OpCode.F64Add, true) => OpCode.F64AddLoad,
            (OpCode.F64Sub, true) => OpCode.F64SubLoad,
            (OpCode.F64Mul, true) => OpCode.F64MulLoad,
            (OpCode.F32Add, false) => OpCode.F32AddLoad,
            (OpCode.F32Sub, false) => OpCode.F32SubLoad,
            (OpCode.F32Mul, false) => OpCode.F32MulLoad,
            _ => null,
        };
        if (loading is OpCode withLoad && TryTakeProducer(right, candidate => candidate == load, out Instruction loaded))
        {
            // slot[A] = slot[D] op load(wrap32(slot[B] + C) + offset), the offset in the low half of Imm.
            Pop(type);
            int other = PopSlot(type);
            PushTemp(type);
            EmitWithDestination(new Instruction(withLoad, SlotOfPosition(left), loaded.B, loaded.C, loaded.Imm) { D = other });
            return true;
        }

        if (op != add)
        {
            return false;
        }

        if (TryTakeProducer(right, candidate => candidate == multiply || candidate == add, out Instruction inner))
        {
            // slot[A] = slot[D] + (slot[B] op slot[C]): acc + x * y, or x + (y + z).
            Pop(type);
            int other = PopSlot(type);
            PushTemp(type);
            OpCode form = inner.Op == multiply ? (f64 ? OpCode.F64AddMul : OpCode.F32AddMul) : (f64 ? OpCode.F64AddAdd : OpCode.F32AddAdd);
            EmitWithDestination(new Instruction(form, SlotOfPosition(left), inner.B, inner.C) { D = other });
            return true;
        }

        // The right operand must still be in a local: a constant would be put in its slot, which the product may read.
        if (_stack[right].Kind == OperandKind.Local && TryTakeProducer(left, candidate => candidate == multiply, out Instruction product))
        {
            // slot[A] = (slot[B] * slot[C]) + slot[D]: x * y + acc, acc still in a local.
            int other = PopSlot(type);
            Pop(type);
            PushTemp(type);
            EmitWithDestination(new Instruction(f64 ? OpCode.F64MulAdd : OpCode.F32MulAdd, SlotOfPosition(left), product.B, product.C) { D = other });
            return true;
        }

        return false;
    }

    /// <summary>
    /// An i32 add, or or xor whose operand was just shifted by a constant (<c>x | y &lt;&lt; 8</c>, <c>h ^ h &gt;&gt; 17</c>,
    /// <c>p + (i &lt;&lt; 2)</c>), or an add whose operand was just multiplied by one (<c>h * 31 + c</c>), shifts or
    /// multiplies that operand itself: the shift or multiply is taken back out of the code.
    /// </summary>
    private bool TryShiftedOperand(OpCode op, ValueKind type)
    {
        if (type != ValueKind.I32 || op is not (OpCode.I32Add or OpCode.I32Or or OpCode.I32Xor) || _stack.Count - 2 < _controls[^1].Height)
        {
            return false;
        }

        int left = _stack.Count - 2;
        int right = _stack.Count - 1;
        bool IsShift(OpCode candidate) => candidate is OpCode.I32ShlImm or OpCode.I32ShrUImm || (candidate == OpCode.I32MulImm && op == OpCode.I32Add);
        int other;
        Instruction shift;
        if (TryTakeProducer(right, IsShift, out shift))
        {
            Pop(type);
            other = PopSlot(type);
        }
        else if (_stack[right].Kind == OperandKind.Local && TryTakeProducer(left, IsShift, out shift))
        {
            other = PopSlot(type); // the operators are commutative: the shifted operand may be either
            Pop(type);
        }
        else
        {
            return false;
        }

        OpCode form = (op, shift.Op) switch
        {
            (_, OpCode.I32MulImm) => OpCode.I32AddMulImm,
            (OpCode.I32Add, OpCode.I32ShlImm) => OpCode.I32AddShl,
            (OpCode.I32Add, _) => OpCode.I32AddShrU,
            (OpCode.I32Or, OpCode.I32ShlImm) => OpCode.I32OrShl,
            (OpCode.I32Or, _) => OpCode.I32OrShrU,
            (OpCode.I32Xor, OpCode.I32ShlImm) => OpCode.I32XorShl,
            _ => OpCode.I32XorShrU,
        };
        PushTemp(type);
        EmitWithDestination(new Instruction(form, SlotOfPosition(left), shift.B, shift.C) { D = other });
        return true;
    }

    /// <summary>
    /// An i32 add, or or xor whose right operand was just loaded by i32.load or i32.load8_u (<c>sum + a[i]</c>,
    /// <c>h ^ p[i]</c>) loads it itself: the load is taken back out of the code.
    /// </summary>
    private bool TryLoadedOperand(OpCode op, ValueKind type)
    {
        if (type != ValueKind.I32 || op is not (OpCode.I32Add or OpCode.I32Or or OpCode.I32Xor) || _stack.Count - 2 < _controls[^1].Height
            || !TryTakeProducer(_stack.Count - 1, candidate => candidate is OpCode.I32Load or OpCode.I32Load8U, out Instruction load))
        {
            return false;
        }

        int left = _stack.Count - 2;
        Pop(type);
        int other = PopSlot(type);
        OpCode form = (op, load.Op) switch
        {
            (OpCode.I32Add, OpCode.I32Load) => OpCode.I32AddLoad,
            (OpCode.I32Add, _) => OpCode.I32AddLoad8U,
            (OpCode.I32Or, OpCode.I32Load) => OpCode.I32OrLoad,
            (OpCode.I32Or, _) => OpCode.I32OrLoad8U,
            (OpCode.I32Xor, OpCode.I32Load) => OpCode.I32XorLoad,
            _ => OpCode.I32XorLoad8U,
        };
        PushTemp(type);
        EmitWithDestination(new Instruction(form, SlotOfPosition(left), load.B, load.C, load.Imm) { D = other });
        return true;
    }

    /// <summary>The form of a load or store whose address is an index shifted by a constant, or null.</summary>
    private static OpCode? ScaledForm(OpCode op) => op switch
    {
        OpCode.I32Load => OpCode.I32LoadScaled,
        OpCode.I64Load => OpCode.I64LoadScaled,
        OpCode.F32Load => OpCode.F32LoadScaled,
        OpCode.F64Load => OpCode.F64LoadScaled,
        OpCode.I32Load16U => OpCode.I32Load16UScaled,
        OpCode.I32Store => OpCode.I32StoreScaled,
        OpCode.I64Store => OpCode.I64StoreScaled,
        OpCode.F32Store => OpCode.F32StoreScaled,
        OpCode.F64Store => OpCode.F64StoreScaled,
        OpCode.I32Store16 => OpCode.I32Store16Scaled,
        _ => null,
    };

    /// <summary>
    /// When the address at <paramref name="position"/> (its base, when <paramref name="afterAddend"/>: the add of a
    /// constant was already folded and its base was <paramref name="baseSlot"/>) was just computed by an i32 shift
    /// left by a constant (<c>a[i]</c> is <c>base + (i &lt;&lt; 2)</c>), takes the shift back out of the code so the load
    /// or store shifts the index itself.
    /// </summary>
    private bool TryTakeAddressShift(int position, bool afterAddend, int baseSlot, out int index, out int shift)
    {
        index = baseSlot;
        shift = 0;
        int slot = SlotOfPosition(position);
        if (position < _controls[^1].Height || _stack[position].Kind != OperandKind.Temp || !LastIsFusable
            || (afterAddend ? baseSlot != slot : _lastDestinationInstruction != _code.Count - 1))
        {
            return false;
        }

        Instruction last = _code[^1];
        if (last.Op != OpCode.I32ShlImm || last.A != slot)
        {
            return false;
        }

        _code.RemoveAt(_code.Count - 1);
        _lastDestinationInstruction = -1;
        index = last.B;
        shift = last.C & 31;
        return true;
    }
}
