namespace Appliance.Wasm.Execution;

/// <summary>
/// A placement of the dispatch loop's code. Every IR instruction passes through the loop's dispatch block (the
/// load of the operator and the jump through the switch's table), and on x64 the loop runs 1.5 to 2 times slower
/// when that block straddles a 64-byte line of code (measured: tests/bench/BASELINE.md, "Dispatch alignment").
/// Where the native compiler puts the block depends on all the code before it, which no compiler option controls,
/// so the loop is compiled in six variants whose padding (the body of <see cref="OpCode.DispatchPadding"/>, which
/// is never run) moves the block by 0, 8, ... 40 bytes: nearly always one of them keeps it within a line (the
/// methods themselves start at 0 or 32 modulo 64, which the linker chooses), and the machine keeps the fastest
/// (see <c>Machine.ChooseLayout</c>). The loop holds no small loop of its own, which the compiler would pad to
/// align and so shift the block by amounts of its choosing.
/// </summary>
internal unsafe interface IDispatchLayout
{
    /// <summary>The padding code: never run.</summary>
    static abstract void Pad(ulong* fp);
}
