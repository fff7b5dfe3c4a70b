using System.Numerics;
using System.Runtime.CompilerServices;

namespace Appliance.Wasm.Execution;

/// <summary>The dispatch loop. i32 values are kept zero-extended in their slots; floats as IEEE bits.</summary>
internal sealed unsafe partial class Machine
{
    private const uint CanonicalNaN32 = 0x7FC0_0000;
    private const ulong CanonicalNaN64 = 0x7FF8_0000_0000_0000;

    private TrapCode? Execute()
    {
        // Only the hot state lives in locals (ip, fp, the memory view, fuel), so that the register allocator
        // keeps it in registers; the rest (the instance, the call stack, the stack bounds) is read from fields
        // on the rarer paths that need it.
        {
            Instruction* ip = _ip;
            ulong* fp = _stackBase + _fp;
            (nint memoryBase, ulong memorySize) = ViewOf(_instance!.Memory);
            byte* memory = (byte*)memoryBase;
            long fuel = _store.Fuel;
            TrapCode trap;

            while (true)
            {
                Instruction* i = ip;
                switch (i->Op)
                {
                    case OpCode.Unreachable:
                        trap = TrapCode.Unreachable;
                        goto Trapped;
                    case OpCode.Fuel:
                        fuel -= (long)i->Imm;
                        if (fuel < 0)
                        {
                            fuel += (long)i->Imm;
                            trap = TrapCode.OutOfFuel;
                            goto Trapped;
                        }

                        ip++;
                        continue;
                    case OpCode.Const:
                        fp[i->A] = i->Imm;
                        ip++;
                        continue;
                    case OpCode.Copy:
                        fp[i->A] = fp[i->B];
                        ip++;
                        continue;
                    case OpCode.CopyMany:
                        CopySlots(fp + i->A, fp + i->B, i->C);
                        ip++;
                        continue;
                    case OpCode.Br:
                        ip = Taken(i, ref fuel);
                        continue;
                    case OpCode.BrIfNez:
                        if ((uint)fp[i->B] != 0)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrIfEqz:
                        if ((uint)fp[i->B] == 0)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrTable:
                        {
                            // Every entry is a Br (to the label, or to a trampoline that copies the values): take it here
                            // rather than dispatch it.
                            uint index = (uint)fp[i->B];
                            ip = Taken(i + 1 + Math.Min(index, (uint)i->C), ref fuel);
                            continue;
                        }

                    case OpCode.Select:
                        fp[i->A] = (uint)fp[i->Imm] != 0 ? fp[i->B] : fp[i->C];
                        ip++;
                        continue;
                    case OpCode.GlobalGet:
                        fp[i->A] = _instance!.Globals[i->Imm].Value;
                        ip++;
                        continue;
                    case OpCode.GlobalSet:
                        _instance!.Globals[i->Imm].Value = fp[i->B];
                        ip++;
                        continue;

                    case OpCode.CallDirect:
                        {
                            // A function of the same module: same instance, entry known at translation.
                            Instruction* entry = (Instruction*)i->Imm;
                            ulong* callee = fp + i->A;
                            Frame* frame = _frameTop;
                            if (frame == _frameLimit)
                            {
                                trap = TrapCode.CallStackExhausted;
                                goto Trapped;
                            }

                            if (callee + entry->C > _stackEnd)
                            {
                                trap = TrapCode.CallStackExhausted;
                                _trapDetail = "value stack exhausted";
                                goto Trapped;
                            }

                            frame->ReturnIp = ip + 1;
                            frame->FramePointer = fp;
                            _frameTop = frame + 1;
                            fp = callee;
                            ip = Enter(entry, fp, ref fuel);
                            continue;
                        }

                    case OpCode.Call:
                    case OpCode.CallIndirect:
                        {
                            Function callee;
                            if (i->Op == OpCode.Call)
                            {
                                callee = _instance!.Functions[i->B];
                            }
                            else
                            {
                                Table table = _instance!.Tables[i->C];
                                uint element = (uint)fp[i->B];
                                if (element >= table.Size)
                                {
                                    _trapDetail = "undefined element";
                                    trap = TrapCode.TableOutOfBounds;
                                    goto Trapped;
                                }

                                ulong reference = table.Elements[element];
                                if (reference == 0)
                                {
                                    trap = TrapCode.IndirectCallToNull;
                                    goto Trapped;
                                }

                                callee = _store.FunctionOf(reference);
                                if (!ReferenceEquals(callee.Type, _instance!.Module.Definition.Types[(int)i->Imm])
                                    && !callee.Type.Equals(_instance!.Module.Definition.Types[(int)i->Imm]))
                                {
                                    trap = TrapCode.IndirectCallTypeMismatch;
                                    goto Trapped;
                                }
                            }

                            ulong* arguments = fp + i->A;
                            if (callee.Code is CompiledFunction target)
                            {
                                Frame* frame = _frameTop;
                                if (frame == _frameLimit)
                                {
                                    trap = TrapCode.CallStackExhausted;
                                    goto Trapped;
                                }

                                if (arguments + target.FrameSize > _stackEnd)
                                {
                                    trap = TrapCode.CallStackExhausted;
                                    _trapDetail = "value stack exhausted";
                                    goto Trapped;
                                }

                                frame->ReturnIp = ip + 1;
                                frame->FramePointer = fp;
                                _frameTop = frame + 1;
                                if (!ReferenceEquals(callee.Instance, _instance))
                                {
                                    // Another instance's function: the return restores the caller's instance.
                                    _callerInstances[frame - _frameBase] = _instance;
                                    frame->ReturnIp = (Instruction*)((nuint)frame->ReturnIp | 1);
                                    _instance = callee.Instance!;
                                    (memoryBase, memorySize) = ViewOf(_instance!.Memory);
                                    memory = (byte*)memoryBase;
                                }

                                fp = arguments;
                                ip = Enter(CodeOf(target), fp, ref fuel);
                                continue;
                            }

                            _store.Fuel = fuel;
                            TrapCode? hostTrap = CallHost(callee, arguments, _instance);
                            fuel = _store.Fuel;
                            if (hostTrap is TrapCode failed)
                            {
                                trap = failed;
                                goto Trapped;
                            }

                            (memoryBase, memorySize) = ViewOf(_instance!.Memory);
                            memory = (byte*)memoryBase;
                            ip++;
                            continue;
                        }

                    case OpCode.Return:
                        {
                            if (i->B != 0 && i->C > 0)
                            {
                                CopySlots(fp, fp + i->B, i->C);
                            }

                            Frame* frame = _frameTop - 1;
                            _frameTop = frame;
                            ip = frame->ReturnIp;
                            fp = frame->FramePointer;
                            if (((nuint)ip & 1) != 0)
                            {
                                if (ip == Frame.EndOfRun)
                                {
                                    _store.Fuel = fuel;
                                    return null;
                                }

                                // Back from another instance's function.
                                ip = (Instruction*)((nuint)ip & ~(nuint)1);
                                int index = (int)(frame - _frameBase);
                                _instance = _callerInstances[index];
                                _callerInstances[index] = null;
                                (memoryBase, memorySize) = ViewOf(_instance!.Memory);
                                memory = (byte*)memoryBase;
                            }

                            continue;
                        }

                    case OpCode.Enter:
                        ip++;
                        continue;

                    // ---- fused: constant operands and compare-and-branch ----
                    case OpCode.I32AddImm:
                        fp[i->A] = (uint)fp[i->B] + (uint)i->C;
                        ip++;
                        continue;
                    case OpCode.I32MulImm:
                        fp[i->A] = (uint)fp[i->B] * (uint)i->C;
                        ip++;
                        continue;
                    case OpCode.I32AndImm:
                        fp[i->A] = (uint)fp[i->B] & (uint)i->C;
                        ip++;
                        continue;
                    case OpCode.I32OrImm:
                        fp[i->A] = (uint)fp[i->B] | (uint)i->C;
                        ip++;
                        continue;
                    case OpCode.I32XorImm:
                        fp[i->A] = (uint)fp[i->B] ^ (uint)i->C;
                        ip++;
                        continue;
                    case OpCode.I32ShlImm:
                        fp[i->A] = (uint)fp[i->B] << i->C;
                        ip++;
                        continue;
                    case OpCode.I32ShrSImm:
                        fp[i->A] = (uint)((int)fp[i->B] >> i->C);
                        ip++;
                        continue;
                    case OpCode.I32ShrUImm:
                        fp[i->A] = (uint)fp[i->B] >> i->C;
                        ip++;
                        continue;
                    case OpCode.I32EqImm:
                        fp[i->A] = (int)fp[i->B] == i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32NeImm:
                        fp[i->A] = (int)fp[i->B] != i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32LtSImm:
                        fp[i->A] = (int)fp[i->B] < i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32LtUImm:
                        fp[i->A] = (uint)fp[i->B] < (uint)i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32GtSImm:
                        fp[i->A] = (int)fp[i->B] > i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32GtUImm:
                        fp[i->A] = (uint)fp[i->B] > (uint)i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32LeSImm:
                        fp[i->A] = (int)fp[i->B] <= i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32LeUImm:
                        fp[i->A] = (uint)fp[i->B] <= (uint)i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32GeSImm:
                        fp[i->A] = (int)fp[i->B] >= i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32GeUImm:
                        fp[i->A] = (uint)fp[i->B] >= (uint)i->C ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32RotlImm:
                        fp[i->A] = BitOperations.RotateLeft((uint)fp[i->B], i->C);
                        ip++;
                        continue;
                    case OpCode.I32RotrImm:
                        fp[i->A] = BitOperations.RotateRight((uint)fp[i->B], i->C);
                        ip++;
                        continue;
                    case OpCode.I64AddImm:
                        fp[i->A] = fp[i->B] + i->Imm;
                        ip++;
                        continue;
                    case OpCode.I64AndImm:
                        fp[i->A] = fp[i->B] & i->Imm;
                        ip++;
                        continue;
                    case OpCode.I64ShlImm:
                        fp[i->A] = fp[i->B] << (int)i->Imm;
                        ip++;
                        continue;
                    case OpCode.I64ShrUImm:
                        fp[i->A] = fp[i->B] >> (int)i->Imm;
                        ip++;
                        continue;
                    case OpCode.I64OrImm:
                        fp[i->A] = fp[i->B] | i->Imm;
                        ip++;
                        continue;
                    case OpCode.I64ShrSImm:
                        fp[i->A] = (ulong)((long)fp[i->B] >> (int)i->Imm);
                        ip++;
                        continue;
                    case OpCode.I64MulImm:
                        fp[i->A] = fp[i->B] * i->Imm;
                        ip++;
                        continue;
                    case OpCode.I64XorImm:
                        fp[i->A] = fp[i->B] ^ i->Imm;
                        ip++;
                        continue;
                    case OpCode.I64RotlImm:
                        fp[i->A] = BitOperations.RotateLeft(fp[i->B], (int)i->Imm);
                        ip++;
                        continue;
                    case OpCode.BrI32Eq:
                        if ((uint)fp[i->B] == (uint)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32Ne:
                        if ((uint)fp[i->B] != (uint)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32LtS:
                        if ((int)fp[i->B] < (int)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32LtU:
                        if ((uint)fp[i->B] < (uint)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32GtS:
                        if ((int)fp[i->B] > (int)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32GtU:
                        if ((uint)fp[i->B] > (uint)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32LeS:
                        if ((int)fp[i->B] <= (int)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32LeU:
                        if ((uint)fp[i->B] <= (uint)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32GeS:
                        if ((int)fp[i->B] >= (int)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32GeU:
                        if ((uint)fp[i->B] >= (uint)fp[i->C])
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32EqImm:
                        if ((int)fp[i->B] == i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32NeImm:
                        if ((int)fp[i->B] != i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32LtSImm:
                        if ((int)fp[i->B] < i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32LtUImm:
                        if ((uint)fp[i->B] < (uint)i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32GtSImm:
                        if ((int)fp[i->B] > i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32GtUImm:
                        if ((uint)fp[i->B] > (uint)i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32LeSImm:
                        if ((int)fp[i->B] <= i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32LeUImm:
                        if ((uint)fp[i->B] <= (uint)i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32GeSImm:
                        if ((int)fp[i->B] >= i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;
                    case OpCode.BrI32GeUImm:
                        if ((uint)fp[i->B] >= (uint)i->C)
                        {
                            ip = Taken(i, ref fuel);
                            continue;
                        }

                        ip++;
                        continue;

                    // ---- an add-immediate fused into the jump that tests its result ----
                    case OpCode.AddBrI32Eq:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum == (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32Ne:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum != (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32LtS:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if ((int)sum < (int)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32LtU:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum < (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32GtS:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if ((int)sum > (int)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32GtU:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum > (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32LeS:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if ((int)sum <= (int)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32LeU:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum <= (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32GeS:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if ((int)sum >= (int)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32GeU:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum >= (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32EqImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum == (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32NeImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum != (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32LtSImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if ((int)sum < i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32LtUImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum < (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32GtSImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if ((int)sum > i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32GtUImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum > (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32LeSImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if ((int)sum <= i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32LeUImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum <= (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32GeSImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if ((int)sum >= i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrI32GeUImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum >= (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrIfNez:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum != 0)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddBrIfEqz:
                        {
                            uint sum = (uint)fp[i->B] + (uint)i->D;
                            fp[i->A] = sum;
                            if (sum == 0)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    // ---- an operand shifted by a constant ----
                    case OpCode.I32AddShl:
                        fp[i->A] = (uint)fp[i->D] + ((uint)fp[i->B] << i->C);
                        ip++;
                        continue;
                    case OpCode.I32AddShrU:
                        fp[i->A] = (uint)fp[i->D] + ((uint)fp[i->B] >> i->C);
                        ip++;
                        continue;
                    case OpCode.I32OrShl:
                        fp[i->A] = (uint)fp[i->D] | ((uint)fp[i->B] << i->C);
                        ip++;
                        continue;
                    case OpCode.I32OrShrU:
                        fp[i->A] = (uint)fp[i->D] | ((uint)fp[i->B] >> i->C);
                        ip++;
                        continue;
                    case OpCode.I32XorShl:
                        fp[i->A] = (uint)fp[i->D] ^ ((uint)fp[i->B] << i->C);
                        ip++;
                        continue;
                    case OpCode.I32XorShrU:
                        fp[i->A] = (uint)fp[i->D] ^ ((uint)fp[i->B] >> i->C);
                        ip++;
                        continue;

                    // ---- an operand just loaded ----
                    case OpCode.I32AddLoad:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out uint i32AddLoad))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (uint)fp[i->D] + i32AddLoad;
                        ip++;
                        continue;
                    case OpCode.I32AddLoad8U:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out byte i32AddLoad8U))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (uint)fp[i->D] + i32AddLoad8U;
                        ip++;
                        continue;
                    case OpCode.I32OrLoad:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out uint i32OrLoad))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (uint)fp[i->D] | i32OrLoad;
                        ip++;
                        continue;
                    case OpCode.I32OrLoad8U:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out byte i32OrLoad8U))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (uint)fp[i->D] | i32OrLoad8U;
                        ip++;
                        continue;
                    case OpCode.I32XorLoad:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out uint i32XorLoad))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (uint)fp[i->D] ^ i32XorLoad;
                        ip++;
                        continue;
                    case OpCode.I32XorLoad8U:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out byte i32XorLoad8U))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (uint)fp[i->D] ^ i32XorLoad8U;
                        ip++;
                        continue;

                    // ---- loads and stores of a scaled index ----
                    case OpCode.I32LoadScaled:
                        if (!TryLoadScaled(i, fp, memory, memorySize, out uint i32LoadScaled))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i32LoadScaled;
                        ip++;
                        continue;
                    case OpCode.I64LoadScaled:
                        if (!TryLoadScaled(i, fp, memory, memorySize, out ulong i64LoadScaled))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i64LoadScaled;
                        ip++;
                        continue;
                    case OpCode.F32LoadScaled:
                        if (!TryLoadScaled(i, fp, memory, memorySize, out uint f32LoadScaled))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = f32LoadScaled;
                        ip++;
                        continue;
                    case OpCode.F64LoadScaled:
                        if (!TryLoadScaled(i, fp, memory, memorySize, out ulong f64LoadScaled))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = f64LoadScaled;
                        ip++;
                        continue;
                    case OpCode.I32Load16UScaled:
                        if (!TryLoadScaled(i, fp, memory, memorySize, out ushort i32Load16UScaled))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i32Load16UScaled;
                        ip++;
                        continue;
                    case OpCode.I32StoreScaled:
                        if (!TryStoreScaled(i, fp, memory, memorySize, (uint)fp[i->C]))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;
                    case OpCode.I64StoreScaled:
                        if (!TryStoreScaled(i, fp, memory, memorySize, fp[i->C]))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;
                    case OpCode.F32StoreScaled:
                        if (!TryStoreScaled(i, fp, memory, memorySize, (uint)fp[i->C]))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;
                    case OpCode.F64StoreScaled:
                        if (!TryStoreScaled(i, fp, memory, memorySize, fp[i->C]))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;
                    case OpCode.I32Store16Scaled:
                        if (!TryStoreScaled(i, fp, memory, memorySize, (ushort)fp[i->C]))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;

                    case OpCode.I32AddMulImm:
                        fp[i->A] = (uint)fp[i->D] + ((uint)fp[i->B] * (uint)i->C);
                        ip++;
                        continue;

                    // ---- float superinstructions ----
                    case OpCode.F64AddLoad:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out ulong f64AddLoad))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = F64Result(F64(fp[i->D]) + F64(f64AddLoad), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64SubLoad:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out ulong f64SubLoad))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = F64Result(F64(fp[i->D]) - F64(f64SubLoad), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64MulLoad:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out ulong f64MulLoad))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = F64Result(F64(fp[i->D]) * F64(f64MulLoad), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32AddLoad:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out uint f32AddLoad))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = F32Result(F32(fp[i->D]) + F32(f32AddLoad), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32SubLoad:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out uint f32SubLoad))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = F32Result(F32(fp[i->D]) - F32(f32SubLoad), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32MulLoad:
                        if (!TryLoad(i, fp, memory, memorySize, (uint)i->Jump, out uint f32MulLoad))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = F32Result(F32(fp[i->D]) * F32(f32MulLoad), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64AddMul:
                        fp[i->A] = F64Result(F64(fp[i->D]) + (F64(fp[i->B]) * F64(fp[i->C])), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64AddAdd:
                        fp[i->A] = F64Result(F64(fp[i->D]) + (F64(fp[i->B]) + F64(fp[i->C])), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64MulAdd:
                        fp[i->A] = F64Result((F64(fp[i->B]) * F64(fp[i->C])) + F64(fp[i->D]), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32AddMul:
                        fp[i->A] = F32Result(F32(fp[i->D]) + (F32(fp[i->B]) * F32(fp[i->C])), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32AddAdd:
                        fp[i->A] = F32Result(F32(fp[i->D]) + (F32(fp[i->B]) + F32(fp[i->C])), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32MulAdd:
                        fp[i->A] = F32Result((F32(fp[i->B]) * F32(fp[i->C])) + F32(fp[i->D]), _canonicalize);
                        ip++;
                        continue;

                    // ---- an add of a slot fused into the jump that tests its result ----
                    case OpCode.AddSlotBrI32Eq:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum == (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32Ne:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum != (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32LtS:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if ((int)sum < (int)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32LtU:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum < (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32GtS:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if ((int)sum > (int)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32GtU:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum > (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32LeS:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if ((int)sum <= (int)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32LeU:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum <= (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32GeS:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if ((int)sum >= (int)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32GeU:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum >= (uint)fp[i->C])
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32EqImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum == (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32NeImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum != (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32LtSImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if ((int)sum < i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32LtUImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum < (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32GtSImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if ((int)sum > i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32GtUImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum > (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32LeSImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if ((int)sum <= i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32LeUImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum <= (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32GeSImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if ((int)sum >= i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrI32GeUImm:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum >= (uint)i->C)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrIfNez:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum != 0)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    case OpCode.AddSlotBrIfEqz:
                        {
                            uint sum = (uint)fp[i->B] + (uint)fp[i->D];
                            fp[i->A] = sum;
                            if (sum == 0)
                            {
                                ip = Taken(i, ref fuel);
                                continue;
                            }

                            ip++;
                            continue;
                        }

                    // ---- memory ----
                    case OpCode.I32Load:
                        if (!TryLoad(i, fp, memory, memorySize, out uint i32Load))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i32Load;
                        ip++;
                        continue;

                    case OpCode.I64Load:
                        if (!TryLoad(i, fp, memory, memorySize, out ulong i64Load))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i64Load;
                        ip++;
                        continue;

                    case OpCode.F32Load:
                        if (!TryLoad(i, fp, memory, memorySize, out uint f32Load))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = f32Load;
                        ip++;
                        continue;

                    case OpCode.F64Load:
                        if (!TryLoad(i, fp, memory, memorySize, out ulong f64Load))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = f64Load;
                        ip++;
                        continue;

                    case OpCode.I32Load8S:
                        if (!TryLoad(i, fp, memory, memorySize, out sbyte i32Load8S))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (uint)(int)i32Load8S;
                        ip++;
                        continue;

                    case OpCode.I32Load8U:
                        if (!TryLoad(i, fp, memory, memorySize, out byte i32Load8U))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i32Load8U;
                        ip++;
                        continue;

                    case OpCode.I32Load16S:
                        if (!TryLoad(i, fp, memory, memorySize, out short i32Load16S))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (uint)(int)i32Load16S;
                        ip++;
                        continue;

                    case OpCode.I32Load16U:
                        if (!TryLoad(i, fp, memory, memorySize, out ushort i32Load16U))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i32Load16U;
                        ip++;
                        continue;

                    case OpCode.I64Load8S:
                        if (!TryLoad(i, fp, memory, memorySize, out sbyte i64Load8S))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (ulong)(long)i64Load8S;
                        ip++;
                        continue;

                    case OpCode.I64Load8U:
                        if (!TryLoad(i, fp, memory, memorySize, out byte i64Load8U))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i64Load8U;
                        ip++;
                        continue;

                    case OpCode.I64Load16S:
                        if (!TryLoad(i, fp, memory, memorySize, out short i64Load16S))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (ulong)(long)i64Load16S;
                        ip++;
                        continue;

                    case OpCode.I64Load16U:
                        if (!TryLoad(i, fp, memory, memorySize, out ushort i64Load16U))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i64Load16U;
                        ip++;
                        continue;

                    case OpCode.I64Load32S:
                        if (!TryLoad(i, fp, memory, memorySize, out int i64Load32S))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = (ulong)(long)i64Load32S;
                        ip++;
                        continue;

                    case OpCode.I64Load32U:
                        if (!TryLoad(i, fp, memory, memorySize, out uint i64Load32U))
                        {
                            goto OutOfBounds;
                        }

                        fp[i->A] = i64Load32U;
                        ip++;
                        continue;

                    case OpCode.I32Store:
                    case OpCode.F32Store:
                    case OpCode.I64Store32:
                        if (!TryStore(i, fp, memory, memorySize, (uint)fp[i->C]))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;

                    case OpCode.I64Store:
                    case OpCode.F64Store:
                        if (!TryStore(i, fp, memory, memorySize, fp[i->C]))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;

                    case OpCode.I32Store8:
                    case OpCode.I64Store8:
                        if (!TryStore(i, fp, memory, memorySize, (byte)fp[i->C]))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;

                    case OpCode.I32Store16:
                    case OpCode.I64Store16:
                        if (!TryStore(i, fp, memory, memorySize, (ushort)fp[i->C]))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;

                    case OpCode.Store8Imm:
                        if (!TryStore(i, fp, memory, memorySize, (byte)i->C))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;

                    case OpCode.Store16Imm:
                        if (!TryStore(i, fp, memory, memorySize, (ushort)i->C))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;

                    case OpCode.Store32Imm:
                        if (!TryStore(i, fp, memory, memorySize, (uint)i->C))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;

                    case OpCode.Store64Imm:
                        if (!TryStore(i, fp, memory, memorySize, (ulong)(long)i->C))
                        {
                            goto OutOfBounds;
                        }

                        ip++;
                        continue;

                    case OpCode.MemorySize:
                        fp[i->A] = _instance!.Memory!.Pages;
                        ip++;
                        continue;
                    case OpCode.MemoryGrow:
                        fp[i->A] = (uint)_instance!.Memory!.Grow((uint)fp[i->B]);
                        (memoryBase, memorySize) = ViewOf(_instance!.Memory);
                        memory = (byte*)memoryBase;
                        ip++;
                        continue;

                    default:
                        {
                            TrapCode? result;
                            if (i->Op is >= OpCode.MemoryInit and <= OpCode.TableSet)
                            {
                                // Bulk operators pay fuel per element; the store carries the count across the call.
                                _store.Fuel = fuel;
                                result = ExecuteBulk(i, fp, _instance);
                                fuel = _store.Fuel;
                            }
                            else
                            {
                                result = ExecuteCold(i, fp, _instance);
                            }

                            if (result is TrapCode other)
                            {
                                trap = other;
                                goto Trapped;
                            }

                            ip++;
                            continue;
                        }

                    // ---- float comparisons, sign and conversions ----
                    case OpCode.F32Eq:
                        fp[i->A] = F32(fp[i->B]) == F32(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F32Ne:
                        fp[i->A] = F32(fp[i->B]) != F32(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F32Lt:
                        fp[i->A] = F32(fp[i->B]) < F32(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F32Gt:
                        fp[i->A] = F32(fp[i->B]) > F32(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F32Le:
                        fp[i->A] = F32(fp[i->B]) <= F32(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F32Ge:
                        fp[i->A] = F32(fp[i->B]) >= F32(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F64Eq:
                        fp[i->A] = F64(fp[i->B]) == F64(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F64Ne:
                        fp[i->A] = F64(fp[i->B]) != F64(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F64Lt:
                        fp[i->A] = F64(fp[i->B]) < F64(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F64Gt:
                        fp[i->A] = F64(fp[i->B]) > F64(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F64Le:
                        fp[i->A] = F64(fp[i->B]) <= F64(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F64Ge:
                        fp[i->A] = F64(fp[i->B]) >= F64(fp[i->C]) ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.F32Abs:
                        fp[i->A] = (uint)fp[i->B] & 0x7FFF_FFFFu;
                        ip++;
                        continue;
                    case OpCode.F32Neg:
                        fp[i->A] = (uint)fp[i->B] ^ 0x8000_0000u;
                        ip++;
                        continue;
                    case OpCode.F32Copysign:
                        fp[i->A] = ((uint)fp[i->B] & 0x7FFF_FFFFu) | ((uint)fp[i->C] & 0x8000_0000u);
                        ip++;
                        continue;
                    case OpCode.F32Min:
                        fp[i->A] = F32MinMax(fp[i->B], fp[i->C], minimum: true, _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32Max:
                        fp[i->A] = F32MinMax(fp[i->B], fp[i->C], minimum: false, _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64Abs:
                        fp[i->A] = fp[i->B] & 0x7FFF_FFFF_FFFF_FFFFUL;
                        ip++;
                        continue;
                    case OpCode.F64Neg:
                        fp[i->A] = fp[i->B] ^ 0x8000_0000_0000_0000UL;
                        ip++;
                        continue;
                    case OpCode.F64Copysign:
                        fp[i->A] = (fp[i->B] & 0x7FFF_FFFF_FFFF_FFFFUL) | (fp[i->C] & 0x8000_0000_0000_0000UL);
                        ip++;
                        continue;
                    case OpCode.F64Min:
                        fp[i->A] = F64MinMax(fp[i->B], fp[i->C], minimum: true, _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64Max:
                        fp[i->A] = F64MinMax(fp[i->B], fp[i->C], minimum: false, _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64Sqrt:
                        fp[i->A] = F64Unary(Math.Sqrt(F64(fp[i->B])), fp[i->B], _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32Sqrt:
                        fp[i->A] = F32Unary(MathF.Sqrt(F32(fp[i->B])), fp[i->B], _canonicalize);
                        ip++;
                        continue;
                    case OpCode.I32WrapI64:
                        fp[i->A] = (uint)fp[i->B];
                        ip++;
                        continue;
                    case OpCode.I64ExtendI32S:
                        fp[i->A] = (ulong)(long)(int)fp[i->B];
                        ip++;
                        continue;
                    case OpCode.I32Extend8S:
                        fp[i->A] = (uint)(int)(sbyte)fp[i->B];
                        ip++;
                        continue;
                    case OpCode.I32Extend16S:
                        fp[i->A] = (uint)(int)(short)fp[i->B];
                        ip++;
                        continue;
                    case OpCode.I64Extend8S:
                        fp[i->A] = (ulong)(long)(sbyte)fp[i->B];
                        ip++;
                        continue;
                    case OpCode.I64Extend16S:
                        fp[i->A] = (ulong)(long)(short)fp[i->B];
                        ip++;
                        continue;
                    case OpCode.I64Extend32S:
                        fp[i->A] = (ulong)(long)(int)fp[i->B];
                        ip++;
                        continue;
                    case OpCode.F32ConvertI32S:
                        fp[i->A] = BitConverter.SingleToUInt32Bits((int)fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.F32ConvertI32U:
                        fp[i->A] = BitConverter.SingleToUInt32Bits((uint)fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.F32ConvertI64S:
                        fp[i->A] = BitConverter.SingleToUInt32Bits((long)fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.F32ConvertI64U:
                        fp[i->A] = BitConverter.SingleToUInt32Bits(UnsignedToSingle(fp[i->B]));
                        ip++;
                        continue;
                    case OpCode.F32DemoteF64:
                        fp[i->A] = F32Result((float)F64(fp[i->B]), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64ConvertI32S:
                        fp[i->A] = BitConverter.DoubleToUInt64Bits((int)fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.F64ConvertI32U:
                        fp[i->A] = BitConverter.DoubleToUInt64Bits((uint)fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.F64ConvertI64S:
                        fp[i->A] = BitConverter.DoubleToUInt64Bits((long)fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.F64ConvertI64U:
                        fp[i->A] = BitConverter.DoubleToUInt64Bits(UnsignedToDouble(fp[i->B]));
                        ip++;
                        continue;
                    case OpCode.F64PromoteF32:
                        fp[i->A] = F64Result(F32(fp[i->B]), _canonicalize);
                        ip++;
                        continue;

                    // ---- i32 ----
                    case OpCode.I32Eqz:
                        fp[i->A] = (uint)fp[i->B] == 0 ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32Eq:
                        fp[i->A] = (uint)fp[i->B] == (uint)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32Ne:
                        fp[i->A] = (uint)fp[i->B] != (uint)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32LtS:
                        fp[i->A] = (int)fp[i->B] < (int)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32LtU:
                        fp[i->A] = (uint)fp[i->B] < (uint)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32GtS:
                        fp[i->A] = (int)fp[i->B] > (int)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32GtU:
                        fp[i->A] = (uint)fp[i->B] > (uint)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32LeS:
                        fp[i->A] = (int)fp[i->B] <= (int)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32LeU:
                        fp[i->A] = (uint)fp[i->B] <= (uint)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32GeS:
                        fp[i->A] = (int)fp[i->B] >= (int)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32GeU:
                        fp[i->A] = (uint)fp[i->B] >= (uint)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I32Clz:
                        fp[i->A] = (uint)BitOperations.LeadingZeroCount((uint)fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.I32Ctz:
                        fp[i->A] = (uint)BitOperations.TrailingZeroCount((uint)fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.I32Popcnt:
                        fp[i->A] = (uint)BitOperations.PopCount((uint)fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.I32Add:
                        fp[i->A] = (uint)fp[i->B] + (uint)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I32Sub:
                        fp[i->A] = (uint)fp[i->B] - (uint)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I32Mul:
                        fp[i->A] = (uint)fp[i->B] * (uint)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I32DivS:
                        {
                            int divisor = (int)fp[i->C];
                            int dividend = (int)fp[i->B];
                            if (divisor == 0)
                            {
                                trap = TrapCode.IntegerDivideByZero;
                                goto Trapped;
                            }

                            if (divisor == -1 && dividend == int.MinValue)
                            {
                                trap = TrapCode.IntegerOverflow;
                                goto Trapped;
                            }

                            fp[i->A] = (uint)(dividend / divisor);
                            ip++;
                            continue;
                        }

                    case OpCode.I32DivU:
                        {
                            uint divisor = (uint)fp[i->C];
                            if (divisor == 0)
                            {
                                trap = TrapCode.IntegerDivideByZero;
                                goto Trapped;
                            }

                            fp[i->A] = (uint)fp[i->B] / divisor;
                            ip++;
                            continue;
                        }

                    case OpCode.I32RemS:
                        {
                            int divisor = (int)fp[i->C];
                            if (divisor == 0)
                            {
                                trap = TrapCode.IntegerDivideByZero;
                                goto Trapped;
                            }

                            fp[i->A] = divisor == -1 ? 0u : (uint)((int)fp[i->B] % divisor);
                            ip++;
                            continue;
                        }

                    case OpCode.I32RemU:
                        {
                            uint divisor = (uint)fp[i->C];
                            if (divisor == 0)
                            {
                                trap = TrapCode.IntegerDivideByZero;
                                goto Trapped;
                            }

                            fp[i->A] = (uint)fp[i->B] % divisor;
                            ip++;
                            continue;
                        }

                    case OpCode.I32And:
                        fp[i->A] = (uint)fp[i->B] & (uint)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I32Or:
                        fp[i->A] = (uint)fp[i->B] | (uint)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I32Xor:
                        fp[i->A] = (uint)fp[i->B] ^ (uint)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I32Shl:
                        fp[i->A] = (uint)fp[i->B] << (int)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I32ShrS:
                        fp[i->A] = (uint)((int)fp[i->B] >> (int)fp[i->C]);
                        ip++;
                        continue;
                    case OpCode.I32ShrU:
                        fp[i->A] = (uint)fp[i->B] >> (int)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I32Rotl:
                        fp[i->A] = BitOperations.RotateLeft((uint)fp[i->B], (int)fp[i->C]);
                        ip++;
                        continue;
                    case OpCode.I32Rotr:
                        fp[i->A] = BitOperations.RotateRight((uint)fp[i->B], (int)fp[i->C]);
                        ip++;
                        continue;

                    // ---- i64 ----
                    case OpCode.I64Eqz:
                        fp[i->A] = fp[i->B] == 0 ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64Eq:
                        fp[i->A] = fp[i->B] == fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64Ne:
                        fp[i->A] = fp[i->B] != fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64LtS:
                        fp[i->A] = (long)fp[i->B] < (long)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64LtU:
                        fp[i->A] = fp[i->B] < fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64GtS:
                        fp[i->A] = (long)fp[i->B] > (long)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64GtU:
                        fp[i->A] = fp[i->B] > fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64LeS:
                        fp[i->A] = (long)fp[i->B] <= (long)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64LeU:
                        fp[i->A] = fp[i->B] <= fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64GeS:
                        fp[i->A] = (long)fp[i->B] >= (long)fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64GeU:
                        fp[i->A] = fp[i->B] >= fp[i->C] ? 1u : 0u;
                        ip++;
                        continue;
                    case OpCode.I64Clz:
                        fp[i->A] = (ulong)BitOperations.LeadingZeroCount(fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.I64Ctz:
                        fp[i->A] = (ulong)BitOperations.TrailingZeroCount(fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.I64Popcnt:
                        fp[i->A] = (ulong)BitOperations.PopCount(fp[i->B]);
                        ip++;
                        continue;
                    case OpCode.I64Add:
                        fp[i->A] = fp[i->B] + fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I64Sub:
                        fp[i->A] = fp[i->B] - fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I64Mul:
                        fp[i->A] = fp[i->B] * fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I64DivS:
                        {
                            long divisor = (long)fp[i->C];
                            long dividend = (long)fp[i->B];
                            if (divisor == 0)
                            {
                                trap = TrapCode.IntegerDivideByZero;
                                goto Trapped;
                            }

                            if (divisor == -1 && dividend == long.MinValue)
                            {
                                trap = TrapCode.IntegerOverflow;
                                goto Trapped;
                            }

                            fp[i->A] = (ulong)(dividend / divisor);
                            ip++;
                            continue;
                        }

                    case OpCode.I64DivU:
                        {
                            ulong divisor = fp[i->C];
                            if (divisor == 0)
                            {
                                trap = TrapCode.IntegerDivideByZero;
                                goto Trapped;
                            }

                            fp[i->A] = fp[i->B] / divisor;
                            ip++;
                            continue;
                        }

                    case OpCode.I64RemS:
                        {
                            long divisor = (long)fp[i->C];
                            if (divisor == 0)
                            {
                                trap = TrapCode.IntegerDivideByZero;
                                goto Trapped;
                            }

                            fp[i->A] = divisor == -1 ? 0UL : (ulong)((long)fp[i->B] % divisor);
                            ip++;
                            continue;
                        }

                    case OpCode.I64RemU:
                        {
                            ulong divisor = fp[i->C];
                            if (divisor == 0)
                            {
                                trap = TrapCode.IntegerDivideByZero;
                                goto Trapped;
                            }

                            fp[i->A] = fp[i->B] % divisor;
                            ip++;
                            continue;
                        }

                    case OpCode.I64And:
                        fp[i->A] = fp[i->B] & fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I64Or:
                        fp[i->A] = fp[i->B] | fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I64Xor:
                        fp[i->A] = fp[i->B] ^ fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I64Shl:
                        fp[i->A] = fp[i->B] << (int)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I64ShrS:
                        fp[i->A] = (ulong)((long)fp[i->B] >> (int)fp[i->C]);
                        ip++;
                        continue;
                    case OpCode.I64ShrU:
                        fp[i->A] = fp[i->B] >> (int)fp[i->C];
                        ip++;
                        continue;
                    case OpCode.I64Rotl:
                        fp[i->A] = BitOperations.RotateLeft(fp[i->B], (int)fp[i->C]);
                        ip++;
                        continue;
                    case OpCode.I64Rotr:
                        fp[i->A] = BitOperations.RotateRight(fp[i->B], (int)fp[i->C]);
                        ip++;
                        continue;

                    // ---- f32 arithmetic (common ones here; the rest in ExecuteCold) ----
                    case OpCode.F32Add:
                        fp[i->A] = F32Result(F32(fp[i->B]) + F32(fp[i->C]), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32Sub:
                        fp[i->A] = F32Result(F32(fp[i->B]) - F32(fp[i->C]), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32Mul:
                        fp[i->A] = F32Result(F32(fp[i->B]) * F32(fp[i->C]), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F32Div:
                        fp[i->A] = F32Result(F32(fp[i->B]) / F32(fp[i->C]), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64Add:
                        fp[i->A] = F64Result(F64(fp[i->B]) + F64(fp[i->C]), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64Sub:
                        fp[i->A] = F64Result(F64(fp[i->B]) - F64(fp[i->C]), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64Mul:
                        fp[i->A] = F64Result(F64(fp[i->B]) * F64(fp[i->C]), _canonicalize);
                        ip++;
                        continue;
                    case OpCode.F64Div:
                        fp[i->A] = F64Result(F64(fp[i->B]) / F64(fp[i->C]), _canonicalize);
                        ip++;
                        continue;
                }

            OutOfBounds:
                trap = TrapCode.MemoryOutOfBounds;
            Trapped:
                _store.Fuel = fuel;
                _ip = ip;
                _fp = (int)(fp - _stackBase);
                return trap;
            }
        }
    }

    /// <summary>Reads a T at wrap32(slot[B] + C) + offset, the 33-bit effective address, after the bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryLoad<T>(Instruction* i, ulong* fp, byte* memory, ulong memorySize, out T value)
        where T : unmanaged => TryLoad(i, fp, memory, memorySize, i->Imm, out value);

    /// <summary>Reads a T at wrap32(slot[B] + C) + <paramref name="offset"/>, after the bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryLoad<T>(Instruction* i, ulong* fp, byte* memory, ulong memorySize, ulong offset, out T value)
        where T : unmanaged
    {
        ulong at = (ulong)((uint)fp[i->B] + (uint)i->C) + offset;
        if (at + (ulong)sizeof(T) > memorySize)
        {
            value = default;
            return false;
        }

        value = Unsafe.ReadUnaligned<T>(memory + at);
        return true;
    }

    /// <summary>Reads a T at wrap32((slot[B] &lt;&lt; Cost) + C) + offset, after the bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryLoadScaled<T>(Instruction* i, ulong* fp, byte* memory, ulong memorySize, out T value)
        where T : unmanaged
    {
        ulong at = (ulong)(((uint)fp[i->B] << i->Cost) + (uint)i->C) + i->Imm;
        if (at + (ulong)sizeof(T) > memorySize)
        {
            value = default;
            return false;
        }

        value = Unsafe.ReadUnaligned<T>(memory + at);
        return true;
    }

    /// <summary>
    /// Writes a T at wrap32(slot[B] + A) + offset after the bounds check, and marks its first and last byte's blocks
    /// in the dirty map that follows the memory's bytes (<see cref="Memory.DirtyBlocks"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStore<T>(Instruction* i, ulong* fp, byte* memory, ulong memorySize, T value)
        where T : unmanaged => TryStoreAt(memory, memorySize, (ulong)((uint)fp[i->B] + (uint)i->A) + i->Imm, value);

    /// <summary>Writes a T at wrap32((slot[B] &lt;&lt; Cost) + A) + offset, as <see cref="TryStore"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStoreScaled<T>(Instruction* i, ulong* fp, byte* memory, ulong memorySize, T value)
        where T : unmanaged => TryStoreAt(memory, memorySize, (ulong)(((uint)fp[i->B] << i->Cost) + (uint)i->A) + i->Imm, value);

    /// <summary>Writes a T at the effective address <paramref name="at"/> after the bounds check, marking its blocks dirty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStoreAt<T>(byte* memory, ulong memorySize, ulong at, T value)
        where T : unmanaged
    {
        if (at + (ulong)sizeof(T) > memorySize)
        {
            return false;
        }

        Unsafe.WriteUnaligned(memory + at, value);
        byte* dirty = memory + memorySize;
        dirty[at >> Memory.BlockShift] = 1;
        dirty[(at + (ulong)sizeof(T) - 1) >> Memory.BlockShift] = 1;
        return true;
    }

    /// <summary>
    /// The target of a taken branch: Jump bytes from the branch. A branch back to a loop carries the fuel of the
    /// loop's region in Cost and jumps past the loop's Fuel instruction; without enough fuel it lands on that
    /// instruction instead, which suspends the run there. Other branches cost 0, so they take the fast path
    /// whenever the fuel left is not negative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Instruction* Taken(Instruction* branch, ref long fuel)
    {
        long cost = branch->Cost;
        fuel -= cost;
        Instruction* target = (Instruction*)((byte*)branch + branch->Jump);
        if (fuel < 0)
        {
            fuel += cost;
            if (cost != 0)
            {
                target--;
            }
        }

        return target;
    }

    /// <summary>
    /// Enters a function whose entry instruction (which describes its frame, see <see cref="OpCode.Enter"/>) is
    /// <paramref name="entry"/> and whose arguments are in place at <paramref name="fp"/>: zeroes its other
    /// locals and pays its entry fuel, skipping the entry instruction; without enough fuel it lands on that
    /// instruction, which suspends the run there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Instruction* Enter(Instruction* entry, ulong* fp, ref long fuel)
    {
        for (int local = entry->A; local < entry->B; local++)
        {
            fp[local] = 0;
        }

        long cost = (long)entry->Imm;
        fuel -= cost;
        if (fuel < 0)
        {
            fuel += cost;
            return entry;
        }

        return entry + 1;
    }

    /// <summary>Copies slots as memmove does; one or two values (the usual block and function results) without a call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopySlots(ulong* destination, ulong* source, int count)
    {
        if (count == 1)
        {
            *destination = *source;
        }
        else if (count == 2)
        {
            // Both are read before either is written, so overlapping ranges copy correctly too.
            ulong first = source[0];
            ulong second = source[1];
            destination[0] = first;
            destination[1] = second;
        }
        else
        {
            new Span<ulong>(source, count).CopyTo(new Span<ulong>(destination, count));
        }
    }

    /// <summary>A pointer to a memory's bytes and their count; taken again after anything that may grow or replace it.</summary>
    private static (nint Pointer, ulong Size) ViewOf(Memory? memoryObject)
    {
        if (memoryObject is null || memoryObject.Length == 0)
        {
            return (0, 0);
        }

        byte[] bytes = memoryObject.Bytes;
        return ((nint)Unsafe.AsPointer(ref bytes[0]), (ulong)memoryObject.Length);
    }

    private TrapCode? CallHost(Function callee, ulong* arguments, Instance caller)
    {
        int parameters = callee.Type.Parameters.Count;
        int results = callee.Type.Results.Count;
        ulong[] args = new ReadOnlySpan<ulong>(arguments, parameters).ToArray();
        try
        {
            callee.Host!(new HostCall(args, new Span<ulong>(arguments, results), caller));
            Normalize(new Span<ulong>(arguments, results), callee.Type.Results);
            return null;
        }
        catch (TrapException trap)
        {
            _trapDetail = trap.Message;
            return trap.Code == TrapCode.OutOfFuel ? TrapCode.Host : trap.Code;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float F32(ulong bits) => BitConverter.UInt32BitsToSingle((uint)bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double F64(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F32Result(float value, bool canonicalize) =>
        canonicalize && float.IsNaN(value) ? CanonicalNaN32 : BitConverter.SingleToUInt32Bits(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F64Result(double value, bool canonicalize) =>
        canonicalize && double.IsNaN(value) ? CanonicalNaN64 : BitConverter.DoubleToUInt64Bits(value);
}
