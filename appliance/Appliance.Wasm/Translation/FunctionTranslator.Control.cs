using Appliance.Wasm.Binary;
using Appliance.Wasm.Execution;

namespace Appliance.Wasm.Translation;

/// <summary>Structured control: block, loop, if, else, end, branches, return and calls (Core spec 3.3.8, 4.4.8).</summary>
internal sealed partial class FunctionTranslator
{
    // blocktype ::= 0x40 | t:valtype | x:s33 (Core spec 5.4.1)
    private (ValueKind[] Parameters, ValueKind[] Results) ReadBlockType(ref WasmReader reader)
    {
        byte first = reader.PeekByte();
        if (first == 0x40)
        {
            reader.ReadByte();
            return ([], []);
        }

        if (first is 0x7F or 0x7E or 0x7D or 0x7C or 0x70 or 0x6F)
        {
            reader.ReadByte();
            return ([], [(ValueKind)first]);
        }

        long index = reader.ReadS33();
        if (index < 0)
        {
            reader.Fail("malformed block type");
        }

        if (index >= _module.Types.Count)
        {
            Fail("unknown type");
        }

        FunctionType type = _module.Types[(int)index];
        return ([.. type.Parameters], [.. type.Results]);
    }

    private void PopValues(ValueKind[] types)
    {
        for (int i = types.Length - 1; i >= 0; i--)
        {
            Pop(types[i]);
        }
    }

    private void TranslateBlock(ref WasmReader reader, ControlKind kind)
    {
        (ValueKind[] parameters, ValueKind[] results) = ReadBlockType(ref reader);
        Instruction? comparison = kind == ControlKind.If ? TakeConditionComparison() : null;
        int condition = -1;
        if (kind == ControlKind.If)
        {
            // Popped before the values below it are materialized: a condition still in a local is read from it.
            condition = PopSlot(ValueKind.I32);
        }

        MaterializeAll();

        PopValues(parameters);
        PushControl(kind, parameters, results);
        ControlFrame frame = _controls[^1];
        MarkLabel();
        switch (kind)
        {
            case ControlKind.Loop:
                frame.LoopFuel = OpenFuelRegion();
                frame.LoopStart = Here;
                break;
            case ControlKind.If:
                frame.ElseFixup = Emit(FuseIncrement(ConditionalJump(comparison, condition, whenTrue: false)));
                break;
        }
    }

    private void TranslateElse()
    {
        ControlFrame frame = _controls[^1];
        if (frame.Kind != ControlKind.If)
        {
            Fail("else without a matching if");
        }

        MaterializeAll();
        PopValues(frame.EndTypes);
        if (_stack.Count != frame.Height)
        {
            Fail("type mismatch: values remain on the stack at else");
        }

        frame.EndFixups.Add(Emit(new Instruction(OpCode.Br)));
        frame.Unreachable = false;
        MarkLabel();
        Patch(frame.ElseFixup, Here);
        frame.ElseFixup = -1;
        frame.Kind = ControlKind.Else;

        foreach (ValueKind type in frame.StartTypes)
        {
            PushTemp(type);
        }
    }

    private void TranslateEnd()
    {
        ControlFrame frame = _controls[^1];
        int result = SlotOfPosition(0);
        if (frame.Kind == ControlKind.Function && frame.EndFixups.Count == 0 && frame.EndTypes.Length == 1
            && _stack.Count == frame.Height + 1 && Reachable)
        {
            // The one result arrives only by falling through: it is returned from where it is.
            result = TakeReturnedSlot(frame.EndTypes[0]);
            PushTemp(frame.EndTypes[0]);
        }

        MaterializeAll();
        PopControl();
        if (frame.Kind == ControlKind.If && !frame.StartTypes.AsSpan().SequenceEqual(frame.EndTypes))
        {
            Fail("type mismatch: an if without else must give back its parameters");
        }

        if (frame.Kind == ControlKind.Function)
        {
            CloseFuelRegion();
            int target = _code.Count;
            foreach (int fixup in frame.EndFixups)
            {
                Patch(fixup, target);
            }

            _code.Add(new Instruction(OpCode.Return, b: result, c: frame.EndTypes.Length));
            return;
        }

        Patch(frame.ElseFixup, Here);
        foreach (int fixup in frame.EndFixups)
        {
            Patch(fixup, Here);
        }

        // A join point: values arrive here from several paths.
        MarkLabel();

        foreach (ValueKind type in frame.EndTypes)
        {
            PushTemp(type);
        }

        if (frame.Kind == ControlKind.Loop)
        {
            CloseFuelRegion();
        }
    }

    /// <summary>Emits the jump of a branch to <paramref name="label"/>, with the copy of its values when they are not in place.</summary>
    private void EmitBranch(ControlFrame label, int valuesPosition)
    {
        int count = label.LabelTypes.Length;
        int source = SlotOfPosition(valuesPosition);
        int destination = SlotOfPosition(label.Height);
        if (count > 0 && source != destination)
        {
            Emit(new Instruction(OpCode.CopyMany, destination, source, count));
        }

        EmitJump(new Instruction(OpCode.Br), label);
    }

    /// <summary>Emits a jump (its target in Imm) to a label: straight to a loop's start, or patched at a block's end.</summary>
    private void EmitJump(Instruction jump, ControlFrame label)
    {
        if (label.Kind == ControlKind.Loop)
        {
            jump.Jump = label.LoopStart;
            FuelRegion? region = label.LoopFuel;
            if (region is not null && region.Instruction >= 0)
            {
                // Jump past the loop's Fuel instruction and pay its amount in the branch (see Machine.Taken).
                jump.Jump = region.Instruction + 1;
            }

            int at = Emit(jump);
            if (at >= 0 && region is not null && region.Instruction >= 0)
            {
                region.Branches.Add(at);
            }
        }
        else
        {
            int at = Emit(jump);
            if (at >= 0)
            {
                label.EndFixups.Add(at);
            }
        }
    }

    private void TranslateBr(ref WasmReader reader)
    {
        ControlFrame label = Label(reader.ReadU32());
        MaterializeAll();
        PopValues(label.LabelTypes);
        EmitBranch(label, _stack.Count);
        MarkUnreachable();
    }

    private void TranslateBrIf(ref WasmReader reader)
    {
        ControlFrame label = Label(reader.ReadU32());
        Instruction? comparison = TakeConditionComparison();
        int condition = PopSlot(ValueKind.I32); // a condition still in a local is read from it, without a copy
        MaterializeAll();
        ValueKind[] types = label.LabelTypes;
        PopValues(types);
        int valuesPosition = _stack.Count;
        foreach (ValueKind type in types)
        {
            PushTemp(type);
        }

        int count = types.Length;
        if (count == 0 || SlotOfPosition(valuesPosition) == SlotOfPosition(label.Height))
        {
            EmitJump(FuseIncrement(ConditionalJump(comparison, condition, whenTrue: true)), label);
        }
        else
        {
            int skip = Emit(FuseIncrement(ConditionalJump(comparison, condition, whenTrue: false)));
            EmitBranch(label, valuesPosition);
            Patch(skip, Here);
        }
    }

    private void TranslateBrTable(ref WasmReader reader)
    {
        int count = reader.ReadVectorLength(_limits.MaxBrTableTargets, "br_table targets");
        var depths = new uint[count + 1];
        for (int i = 0; i <= count; i++)
        {
            depths[i] = reader.ReadU32();
        }

        int index = PopSlot(ValueKind.I32);
        MaterializeAll();
        ControlFrame fallback = Label(depths[count]);
        int arity = fallback.LabelTypes.Length;
        foreach (uint depth in depths)
        {
            ControlFrame label = Label(depth);
            if (label.LabelTypes.Length != arity)
            {
                Fail("type mismatch: br_table targets have different arities");
            }

            // Each label's types must match the values on the stack. As the spec's algorithm does, the
            // popped values go back as they were, so an unknown value (unreachable code) stays unknown.
            ValueKind[] types = label.LabelTypes;
            var popped = new ValueKind?[types.Length];
            for (int k = types.Length - 1; k >= 0; k--)
            {
                ValueKind? before = _stack.Count > _controls[^1].Height ? _stack[^1].Type : null;
                Pop(types[k]);
                popped[k] = before;
            }

            foreach (ValueKind? type in popped)
            {
                PushTemp(type);
            }
        }

        PopValues(fallback.LabelTypes);
        int valuesPosition = _stack.Count;
        int table = Emit(new Instruction(OpCode.BrTable, b: index, c: count));
        if (table >= 0)
        {
            var trampolines = new List<(int Entry, ControlFrame Label)>();
            foreach (uint depth in depths)
            {
                ControlFrame label = Label(depth);
                bool inPlace = arity == 0 || SlotOfPosition(valuesPosition) == SlotOfPosition(label.Height);
                if (inPlace)
                {
                    EmitJump(new Instruction(OpCode.Br), label);
                }
                else
                {
                    trampolines.Add((Emit(new Instruction(OpCode.Br)), label));
                }
            }

            foreach ((int entry, ControlFrame label) in trampolines)
            {
                Patch(entry, Here);
                EmitBranch(label, valuesPosition);
            }
        }

        MarkUnreachable();
    }

    private void TranslateReturn()
    {
        ValueKind[] results = _controls[0].EndTypes;
        if (results.Length == 1)
        {
            // The values below the result are dropped: nothing needs to be put in its slot but the result.
            Emit(new Instruction(OpCode.Return, b: TakeReturnedSlot(results[0]), c: 1));
            MarkUnreachable();
            return;
        }

        MaterializeAll();
        PopValues(results);
        Emit(new Instruction(OpCode.Return, b: SlotOfPosition(_stack.Count), c: results.Length));
        MarkUnreachable();
    }

    /// <summary>
    /// Pops a function's one result and gives the slot Return copies it from: the local it is still in, or
    /// slot 0 itself (where results go, so Return copies nothing) when the instruction that computed it, or a
    /// constant, can write it there.
    /// </summary>
    private int TakeReturnedSlot(ValueKind type)
    {
        int position = _stack.Count - 1;
        bool computedJustNow = position >= _controls[^1].Height && _stack[position].Kind == OperandKind.Temp
            && _lastDestinationInstruction >= 0 && _lastDestinationInstruction == _code.Count - 1
            && _code[^1].A == SlotOfPosition(position);
        Operand operand = Pop(type);
        if (computedJustNow)
        {
            Instruction retargeted = _code[^1];
            retargeted.A = 0;
            _code[^1] = retargeted;
            _lastDestinationInstruction = -1;
            return 0;
        }

        if (operand.Kind == OperandKind.Const)
        {
            Emit(new Instruction(OpCode.Const, 0, imm: operand.Value));
            return 0;
        }

        return SlotOf(operand, position);
    }

    private void TranslateCall(ref WasmReader reader)
    {
        uint function = reader.ReadU32();
        if (function >= (uint)_module.FunctionTypes.Count)
        {
            Fail("unknown function");
        }

        FunctionType type = _module.FunctionType((int)function);
        MaterializeAll();
        PopValues([.. type.Parameters]);
        int arguments = SlotOfPosition(_stack.Count);
        EnsureFrameRoom(_stack.Count + Math.Max(type.Parameters.Count, type.Results.Count));
        foreach (ValueKind result in type.Results)
        {
            PushTemp(result);
        }

        // A function of this module runs in this instance: its entry is known once the module is translated.
        OpCode call = function >= (uint)_module.ImportedFunctions ? OpCode.CallDirect : OpCode.Call;
        Emit(new Instruction(call, arguments, (int)function));
        ChargeFuel(CallCost);
    }

    private void TranslateCallIndirect(ref WasmReader reader)
    {
        uint typeIndex = reader.ReadU32();
        uint tableIndex = reader.ReadU32();
        if (tableIndex >= (uint)_module.Tables.Count)
        {
            Fail("unknown table");
        }

        if (_module.Tables[(int)tableIndex].ElementType != ValueKind.FuncRef)
        {
            Fail("type mismatch: call_indirect needs a table of funcref");
        }

        if (typeIndex >= (uint)_module.Types.Count)
        {
            Fail("unknown type");
        }

        FunctionType type = _module.Types[(int)typeIndex];
        int element = PopSlot(ValueKind.I32);
        MaterializeAll();
        PopValues([.. type.Parameters]);
        int arguments = SlotOfPosition(_stack.Count);
        EnsureFrameRoom(_stack.Count + Math.Max(type.Parameters.Count, type.Results.Count));
        foreach (ValueKind result in type.Results)
        {
            PushTemp(result);
        }

        Emit(new Instruction(OpCode.CallIndirect, arguments, element, (int)tableIndex, typeIndex));
        ChargeFuel(CallCost);
    }

    private void EnsureFrameRoom(int height)
    {
        if (height > _maxHeight)
        {
            _maxHeight = height;
        }
    }
}
