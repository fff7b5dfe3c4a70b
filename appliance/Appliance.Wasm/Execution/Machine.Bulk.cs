namespace Appliance.Wasm.Execution;

/// <summary>
/// Bulk memory and table operators (Core spec 4.4, table and memory instructions): <c>memory.init</c>,
/// <c>memory.copy</c>, <c>memory.fill</c>, <c>data.drop</c>, <c>table.get</c>, <c>table.set</c>,
/// <c>table.size</c>, <c>table.grow</c>, <c>table.fill</c>, <c>table.copy</c>, <c>table.init</c> and
/// <c>elem.drop</c>. Every range is bounds-checked before anything moves, and the operators that move many
/// bytes or elements pay fuel per <see cref="BulkFuelGranule"/>.
/// </summary>
internal sealed unsafe partial class Machine
{
    /// <summary>Fuel charged per this many bytes or elements moved by a bulk operator.</summary>
    public const int BulkFuelGranule = 64;

    private TrapCode? ExecuteBulk(Instruction* i, ulong* fp, Instance instance)
    {
        switch (i->Op)
        {
            case OpCode.MemoryInit:
                {
                    uint destination = (uint)fp[i->A], source = (uint)fp[i->B], count = (uint)fp[i->C];
                    Binary.DataSegment segment = instance.Module.Definition.Data[(int)i->Imm];
                    int length = instance.DroppedData[(int)i->Imm] ? 0 : segment.DataLength;
                    Memory target = instance.Memory!;
                    byte[] memory = target.Bytes;
                    if ((ulong)source + count > (ulong)length || (ulong)destination + count > (ulong)target.Length)
                    {
                        return TrapCode.MemoryOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    instance.Module.Definition.Bytes.AsSpan(segment.DataOffset + (int)source, (int)count).CopyTo(memory.AsSpan((int)destination));
                    target.MarkDirty(destination, count);
                    return null;
                }

            case OpCode.DataDrop:
                instance.DroppedData[(int)i->Imm] = true;
                return null;
            case OpCode.MemoryCopy:
                {
                    uint destination = (uint)fp[i->A], source = (uint)fp[i->B], count = (uint)fp[i->C];
                    Memory target = instance.Memory!;
                    byte[] memory = target.Bytes;
                    if ((ulong)source + count > (ulong)target.Length || (ulong)destination + count > (ulong)target.Length)
                    {
                        return TrapCode.MemoryOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    memory.AsSpan((int)source, (int)count).CopyTo(memory.AsSpan((int)destination));
                    target.MarkDirty(destination, count);
                    return null;
                }

            case OpCode.MemoryFill:
                {
                    uint destination = (uint)fp[i->A], count = (uint)fp[i->C];
                    byte value = (byte)fp[i->B];
                    Memory target = instance.Memory!;
                    byte[] memory = target.Bytes;
                    if ((ulong)destination + count > (ulong)target.Length)
                    {
                        return TrapCode.MemoryOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    memory.AsSpan((int)destination, (int)count).Fill(value);
                    target.MarkDirty(destination, count);
                    return null;
                }

            case OpCode.TableInit:
                {
                    uint destination = (uint)fp[i->A], source = (uint)fp[i->B], count = (uint)fp[i->C];
                    ulong[] segment = instance.ElementSegments[(int)(uint)i->Imm];
                    Table table = instance.Tables[(int)(i->Imm >> 32)];
                    if ((ulong)source + count > (ulong)segment.Length || (ulong)destination + count > table.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    segment.AsSpan((int)source, (int)count).CopyTo(table.Elements.AsSpan((int)destination));
                    return null;
                }

            case OpCode.ElemDrop:
                instance.ElementSegments[(int)i->Imm] = [];
                return null;
            case OpCode.TableCopy:
                {
                    uint destination = (uint)fp[i->A], source = (uint)fp[i->B], count = (uint)fp[i->C];
                    Table to = instance.Tables[(int)(uint)i->Imm];
                    Table from = instance.Tables[(int)(i->Imm >> 32)];
                    if ((ulong)source + count > from.Size || (ulong)destination + count > to.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    from.Elements.AsSpan((int)source, (int)count).CopyTo(to.Elements.AsSpan((int)destination));
                    return null;
                }

            case OpCode.TableGrow:
                {
                    Table table = instance.Tables[(int)i->Imm];
                    uint delta = (uint)fp[i->C];
                    if (!Charge(delta))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    fp[i->A] = (uint)table.Grow(delta, fp[i->B]);
                    return null;
                }

            case OpCode.TableSize:
                fp[i->A] = instance.Tables[(int)i->Imm].Size;
                return null;
            case OpCode.TableFill:
                {
                    Table table = instance.Tables[(int)i->Imm];
                    uint start = (uint)fp[i->A], count = (uint)fp[i->C];
                    if ((ulong)start + count > table.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    table.Elements.AsSpan((int)start, (int)count).Fill(fp[i->B]);
                    return null;
                }

            case OpCode.TableGet:
                {
                    Table table = instance.Tables[(int)i->Imm];
                    uint index = (uint)fp[i->B];
                    if (index >= table.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    fp[i->A] = table.Elements[index];
                    return null;
                }

            case OpCode.TableSet:
                {
                    Table table = instance.Tables[(int)i->Imm];
                    uint index = (uint)fp[i->A];
                    if (index >= table.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    table.Elements[index] = fp[i->B];
                    return null;
                }

            default:
                throw new InvalidOperationException($"the interpreter has no case for {i->Op}");
        }
    }

    /// <summary>Bulk operators pay one unit of fuel per <see cref="BulkFuelGranule"/> bytes or elements.</summary>
    private bool Charge(uint count)
    {
        if (!_store.Engine.Config.MeterFuel)
        {
            return true;
        }

        long cost = count / BulkFuelGranule;
        if (_store.Fuel < cost)
        {
            return false;
        }

        _store.Fuel -= cost;
        return true;
    }
}
