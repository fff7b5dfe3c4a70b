using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Appliance.Wasm.Binary;
using Appliance.Wasm.Execution;

namespace Appliance.Wasm.Translation;

/// <summary>
/// Validates one function body with the spec's algorithm (Core spec, appendix "Validation Algorithm") and,
/// in the same single pass, translates it to the register IR. Slot i of a frame is local i for
/// i &lt; LocalCount, and operand-stack position p lives in slot LocalCount + p. Locals and constants pushed
/// by local.get and i32.const stay where they are until an operator consumes them, so <c>a + b</c> over two
/// locals is one instruction. Every control boundary (block, branch, call) first puts all pending values in
/// their own slots, so that all paths into a label agree on where values are.
/// </summary>
internal sealed partial class FunctionTranslator
{
    /// <summary>Pending locals and constants kept on the stack before the oldest are forced into slots,
    /// which bounds the work of a local.set to a constant and keeps translation linear.</summary>
    private const int MaxPendingOperands = 32;

    private readonly ModuleDefinition _module;
    private readonly TranslationContext _context;
    private readonly ModuleLimits _limits;
    private readonly bool _meterFuel;
    private readonly List<Instruction> _code = new(64);
    private readonly List<Operand> _stack = new(16);
    private readonly List<ControlFrame> _controls = new(8);
    private readonly int[] _pendingLocalReads;
    private readonly ValueKind[] _localTypes;
    private readonly int _localCount;
    private int _pendingStart;
    private int _maxHeight;
    private readonly Stack<FuelRegion> _fuelRegions = new();
    private int _lastDestinationInstruction = -1;

    /// <summary>The latest label: the index of an instruction that jumps may land on. An instruction before it is
    /// never fused with one at or after it, since a jump to the label would skip the first half.</summary>
    private int _labelFloor;

    private FunctionTranslator(ModuleDefinition module, TranslationContext context, ModuleLimits limits, bool meterFuel, FunctionType type, ValueKind[] locals)
    {
        _module = module;
        _context = context;
        _limits = limits;
        _meterFuel = meterFuel;
        _localTypes = [.. type.Parameters, .. locals];
        _localCount = _localTypes.Length;
        _pendingLocalReads = new int[_localCount];
    }

    public static CompiledFunction Translate(ModuleDefinition module, TranslationContext context, ModuleLimits limits, bool meterFuel, int functionIndex)
    {
        FunctionType type = module.FunctionType(functionIndex);
        FunctionBody body = module.Bodies[functionIndex - module.ImportedFunctions];
        var translator = new FunctionTranslator(module, context, limits, meterFuel, type, body.Locals);
        var reader = new WasmReader(module.Bytes.AsSpan(body.CodeOffset, body.CodeLength), body.CodeOffset);
        return translator.Run(ref reader, type);
    }

    private CompiledFunction Run(ref WasmReader reader, FunctionType type)
    {
        PushControl(ControlKind.Function, [], [.. type.Results]);
        if (!_meterFuel)
        {
            Emit(new Instruction(OpCode.Enter)); // the entry; with metering, the region's Fuel instruction is
        }

        OpenFuelRegion();
        while (_controls.Count > 0)
        {
            if (reader.AtEnd)
            {
                reader.Fail("unexpected end of section or function");
            }

            TranslateOperator(ref reader);
        }

        if (!reader.AtEnd)
        {
            reader.Fail("section size mismatch: operators after the end of the function");
        }

        // Pinned, so that the interpreter can walk it with a pointer. Jumps were resolved to instruction
        // indices; the interpreter takes them relative to the jump itself, in bytes (see OpCode.Br).
        Instruction[] code = GC.AllocateUninitializedArray<Instruction>(_code.Count, pinned: true);
        _code.CopyTo(code);
        int frameSize = _localCount + _maxHeight;
        code[0].A = type.Parameters.Count;
        code[0].B = _localCount;
        code[0].C = frameSize;
        for (int at = 0; at < code.Length; at++)
        {
            if (code[at].Op.IsJump())
            {
                code[at].Jump = (code[at].Jump - at) * Instruction.Size;
            }
        }

        return new CompiledFunction(code, type.Parameters.Count, _localCount, frameSize, type.Results.Count);
    }

    /// <summary>
    /// Gives every CallDirect of a module's functions the address of its callee's entry instruction, once all
    /// are translated. The instruction arrays are pinned and live as long as the module.
    /// </summary>
    public static unsafe void LinkDirectCalls(CompiledFunction[] functions, int importedFunctions)
    {
        foreach (CompiledFunction function in functions)
        {
            Instruction[] code = function.Code;
            for (int at = 0; at < code.Length; at++)
            {
                if (code[at].Op == OpCode.CallDirect)
                {
                    Instruction[] callee = functions[code[at].B - importedFunctions].Code;
                    code[at].Imm = (ulong)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(callee));
                }
            }
        }
    }

    // ---- the operand stack (validation types plus translation state) ----

    private int Height => _stack.Count;

    private int SlotOfPosition(int position) => _localCount + position;

    private int TopSlot => SlotOfPosition(_stack.Count);

    private bool Reachable => !_controls[^1].Unreachable && !_controls[^1].Dead;

    private void PushTemp(ValueKind? type)
    {
        _stack.Add(Operand.Temp(type));
        if (_stack.Count > _maxHeight)
        {
            _maxHeight = _stack.Count;
        }
    }

    private void PushLocal(int local)
    {
        _stack.Add(new Operand { Type = _localTypes[local], Kind = OperandKind.Local, Local = local });
        _pendingLocalReads[local]++;
        AfterPendingPush();
    }

    private void PushConst(ValueKind type, ulong value)
    {
        _stack.Add(new Operand { Type = type, Kind = OperandKind.Const, Value = value });
        AfterPendingPush();
    }

    private void AfterPendingPush()
    {
        if (_stack.Count > _maxHeight)
        {
            _maxHeight = _stack.Count;
        }

        if (_stack.Count - _pendingStart > MaxPendingOperands)
        {
            int upTo = _stack.Count - (MaxPendingOperands / 2);
            for (int i = _pendingStart; i < upTo; i++)
            {
                Materialize(i);
            }

            _pendingStart = upTo;
        }
    }

    /// <summary>Pops a value of any type (validation: pop_val). In unreachable code below the frame, an unknown value.</summary>
    private Operand PopAny()
    {
        ControlFrame frame = _controls[^1];
        if (_stack.Count == frame.Height)
        {
            if (frame.Unreachable)
            {
                return Operand.Temp(null);
            }

            Fail("type mismatch: the operand stack is empty");
        }

        Operand operand = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        if (operand.Kind == OperandKind.Local)
        {
            _pendingLocalReads[operand.Local]--;
        }

        if (_pendingStart > _stack.Count)
        {
            _pendingStart = _stack.Count;
        }

        return operand;
    }

    /// <summary>Pops a value that must have <paramref name="expected"/> type (validation: pop_val(expect)).</summary>
    private Operand Pop(ValueKind expected)
    {
        Operand operand = PopAny();
        if (operand.Type is ValueKind actual && actual != expected)
        {
            Fail($"type mismatch: expected {expected.Name()}, found {actual.Name()}");
        }

        operand.Type ??= expected;
        return operand;
    }

    /// <summary>Pops an operand and returns the slot that holds its value, first loading a constant into its own slot.</summary>
    private int PopSlot(ValueKind expected)
    {
        int position = _stack.Count - 1;
        Operand operand = Pop(expected);
        return SlotOf(operand, position);
    }

    private int SlotOf(in Operand operand, int position)
    {
        switch (operand.Kind)
        {
            case OperandKind.Local:
                return operand.Local;
            case OperandKind.Const:
                int slot = SlotOfPosition(position);
                Emit(new Instruction(OpCode.Const, slot, imm: operand.Value));
                return slot;
            default:
                return SlotOfPosition(position);
        }
    }

    /// <summary>Puts the value at <paramref name="position"/> into its own slot.</summary>
    private void Materialize(int position)
    {
        Operand operand = _stack[position];
        if (operand.Kind == OperandKind.Temp)
        {
            return;
        }

        int slot = SlotOfPosition(position);
        if (operand.Kind == OperandKind.Local)
        {
            _pendingLocalReads[operand.Local]--;
            Emit(new Instruction(OpCode.Copy, slot, operand.Local));
        }
        else
        {
            Emit(new Instruction(OpCode.Const, slot, imm: operand.Value));
        }

        _stack[position] = Operand.Temp(operand.Type);
    }

    /// <summary>Puts every pending value into its own slot: done at every control boundary.</summary>
    private void MaterializeAll()
    {
        for (int i = _pendingStart; i < _stack.Count; i++)
        {
            Materialize(i);
        }

        _pendingStart = _stack.Count;
    }

    /// <summary>Before local <paramref name="local"/> is written, values still read from it get their own copy.</summary>
    private void MaterializeReadsOf(int local)
    {
        if (_pendingLocalReads[local] == 0)
        {
            return;
        }

        for (int i = _pendingStart; i < _stack.Count && _pendingLocalReads[local] > 0; i++)
        {
            if (_stack[i].Kind == OperandKind.Local && _stack[i].Local == local)
            {
                Materialize(i);
            }
        }
    }

    // ---- emitting ----

    /// <summary>Emits an instruction; in unreachable code nothing is emitted and the result is -1.</summary>
    private int Emit(Instruction instruction)
    {
        _lastDestinationInstruction = -1;
        if (!Reachable)
        {
            return -1;
        }

        _code.Add(instruction);
        return _code.Count - 1;
    }

    /// <summary>Emits an operator whose one result goes to slot A; a following local.set may retarget it.</summary>
    private void EmitWithDestination(Instruction instruction) => _lastDestinationInstruction = Emit(instruction);

    private int Here => _code.Count;

    /// <summary>The next instruction is a label (a block's end, an else, a loop's start): nothing before it may be fused with what follows.</summary>
    private void MarkLabel()
    {
        _lastDestinationInstruction = -1;
        _labelFloor = Here;
    }

    /// <summary>Whether the last instruction may be fused with the one about to be emitted: both reachable, no label between.</summary>
    private bool LastIsFusable => Reachable && _code.Count > 0 && _labelFloor <= _code.Count - 1;

    private void Patch(int instruction, int target)
    {
        if (instruction < 0)
        {
            return;
        }

        Instruction patched = _code[instruction];
        patched.Jump = target;
        _code[instruction] = patched;
    }

    // ---- fuel: operators are counted per region (function body or loop body) and charged on entry ----

    /// <summary>
    /// Opens the fuel region of a function body or a loop body: a Fuel instruction that charges, on each
    /// entry, every operator of the body outside nested loops (both arms of an if included). Nested loops
    /// are regions of their own. Back-edges pay the loop's amount in the branch and skip the instruction.
    /// </summary>
    private FuelRegion OpenFuelRegion()
    {
        var region = new FuelRegion();
        if (_meterFuel)
        {
            region.Instruction = Emit(new Instruction(OpCode.Fuel));
        }

        _fuelRegions.Push(region);
        return region;
    }

    /// <summary>Closes the innermost region: its Fuel instruction and back-edges get the amount now known.</summary>
    private void CloseFuelRegion()
    {
        FuelRegion region = _fuelRegions.Pop();
        if (region.Instruction < 0)
        {
            return;
        }

        Instruction fuel = _code[region.Instruction];
        fuel.Imm = (ulong)region.Amount;
        _code[region.Instruction] = fuel;
        foreach (int branch in region.Branches)
        {
            Instruction jump = _code[branch];
            if (region.Amount <= ushort.MaxValue)
            {
                jump.Cost = (ushort)region.Amount;
            }
            else
            {
                jump.Jump = region.Instruction; // a region too large for Cost: the jump lands on its Fuel instruction
            }

            _code[branch] = jump;
        }
    }

    private void ChargeFuel(int cost) => _fuelRegions.Peek().Amount += cost;

    // ---- control frames ----

    private void PushControl(ControlKind kind, ValueKind[] start, ValueKind[] end)
    {
        if (_controls.Count >= _limits.MaxBlockDepth)
        {
            throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"blocks nest deeper than {_limits.MaxBlockDepth}");
        }

        bool dead = _controls.Count > 0 && !Reachable;
        var frame = new ControlFrame { Kind = kind, StartTypes = start, EndTypes = end, Height = _stack.Count, Dead = dead };
        _controls.Add(frame);
        foreach (ValueKind type in start)
        {
            PushTemp(type);
        }
    }

    private ControlFrame PopControl()
    {
        ControlFrame frame = _controls[^1];
        for (int i = frame.EndTypes.Length - 1; i >= 0; i--)
        {
            Pop(frame.EndTypes[i]);
        }

        if (_stack.Count != frame.Height)
        {
            Fail("type mismatch: values remain on the stack at the end of the block");
        }

        _controls.RemoveAt(_controls.Count - 1);
        return frame;
    }

    /// <summary>The rest of the block is unreachable (validation: unreachable()).</summary>
    private void MarkUnreachable()
    {
        ControlFrame frame = _controls[^1];
        for (int i = _stack.Count - 1; i >= frame.Height; i--)
        {
            PopAny();
        }

        frame.Unreachable = true;
    }

    private ControlFrame Label(uint depth)
    {
        if (depth >= (uint)_controls.Count)
        {
            Fail("unknown label");
        }

        return _controls[_controls.Count - 1 - (int)depth];
    }

    [DoesNotReturn]
    private static void Fail(string reason) => throw new WasmModuleException(ModuleErrorKind.Invalid, reason);
}
