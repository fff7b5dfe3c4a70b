namespace Appliance.Wasm.Tests;

/// <summary>Instances: traps, the reset-before-reuse rule, snapshot reset, host functions.</summary>
public sealed class InstanceTests
{
    private const string Counter = """
        (module
          (memory (export "memory") 1)
          (global $count (mut i32) (i32.const 7))
          (data (i32.const 16) "seed")
          (func (export "bump") (result i32)
            (i32.store8 (i32.const 16) (i32.const 88))
            (global.set $count (i32.add (global.get $count) (i32.const 1)))
            (global.get $count))
          (func (export "trap") (unreachable)))
        """;

    [Fact]
    public void ResetReturnsMemoryAndGlobalsToTheirStateAfterInstantiation()
    {
        Instance instance = Wat.Instantiate(Counter);
        Assert.Equal([8UL], instance.GetFunction("bump").Call());
        Assert.Equal([9UL], instance.GetFunction("bump").Call());
        Assert.Equal((byte)'X', instance.Memory!.Span[16]);

        instance.Reset();

        Assert.Equal("seed"u8.ToArray(), instance.Memory.Span.Slice(16, 4).ToArray());
        Assert.Equal([8UL], instance.GetFunction("bump").Call());
    }

    [Fact]
    public void ATrappedInstanceRefusesToRunUntilItIsReset()
    {
        Instance instance = Wat.Instantiate(Counter);

        Assert.Equal(TrapCode.Unreachable, Assert.Throws<TrapException>(() => instance.GetFunction("trap").Call()).Code);
        Assert.True(instance.Trapped);
        Assert.Equal(TrapCode.InstanceTrapped, Assert.Throws<TrapException>(() => instance.GetFunction("bump").Call()).Code);

        instance.Reset();

        Assert.False(instance.Trapped);
        Assert.Equal([8UL], instance.GetFunction("bump").Call());
    }

    [Theory]
    [InlineData("(i32.div_s (i32.const 1) (i32.const 0))", TrapCode.IntegerDivideByZero)]
    [InlineData("(i32.div_s (i32.const -2147483648) (i32.const -1))", TrapCode.IntegerOverflow)]
    [InlineData("(i32.trunc_f32_s (f32.const nan))", TrapCode.InvalidConversionToInteger)]
    [InlineData("(i32.trunc_f64_u (f64.const -1))", TrapCode.IntegerOverflow)]
    [InlineData("(i32.load (i32.const 65534))", TrapCode.MemoryOutOfBounds)]
    public void EachTrapHasItsOwnCode(string expression, TrapCode expected)
    {
        Instance instance = Wat.Instantiate($"(module (memory 1) (func (export \"f\") (drop {expression})))");

        Assert.Equal(expected, Assert.Throws<TrapException>(() => instance.GetFunction("f").Call()).Code);
    }

    [Fact]
    public void AHostFunctionReadsGuestMemoryThroughABoundsCheckedView()
    {
        var engine = new Engine();
        var store = new Store(engine);
        string? seen = null;
        var linker = new Linker().DefineFunction(store, "host", "log", new FunctionType([ValueKind.I32, ValueKind.I32], []), call =>
            seen = System.Text.Encoding.UTF8.GetString(call.GuestMemory((uint)call.Arguments[0], (uint)call.Arguments[1])));
        Module module = Module.Compile(engine, Wat.Assemble("""
            (module (import "host" "log" (func $log (param i32 i32)))
              (memory 1) (data (i32.const 8) "hello")
              (func (export "ok") (call $log (i32.const 8) (i32.const 5)))
              (func (export "bad") (call $log (i32.const 65530) (i32.const 100))))
            """));
        Instance instance = linker.Instantiate(store, module);

        instance.GetFunction("ok").Call();
        Assert.Equal("hello", seen);
        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.GetFunction("bad").Call()).Code);
    }

    [Fact]
    public void AHostFunctionCanTrapTheGuestWithAReason()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var linker = new Linker().DefineFunction(store, "host", "deny", new FunctionType([], []), _ =>
            throw new TrapException(TrapCode.Host, "policy denies this call"));
        Module module = Module.Compile(engine, Wat.Assemble("(module (import \"host\" \"deny\" (func $d)) (func (export \"f\") (call $d)))"));
        Instance instance = linker.Instantiate(store, module);

        TrapException trap = Assert.Throws<TrapException>(() => instance.GetFunction("f").Call());

        Assert.Equal(TrapCode.Host, trap.Code);
        Assert.Contains("policy denies this call", trap.Message, StringComparison.Ordinal);
        Assert.True(instance.Trapped);
    }

    [Fact]
    public void NaNResultsAreCanonicalWhenTheEngineIsAskedTo()
    {
        const string Text = "(module (func (export \"f\") (param f32) (result f32) (f32.add (local.get 0) (f32.const 1))))";
        ulong signallingNaN = 0x7FA0_0001;

        ulong plain = Wat.Instantiate(Text).GetFunction("f").Call(signallingNaN)[0];
        ulong canonical = Wat.Instantiate(Text, new EngineConfig { CanonicalizeNaNs = true }).GetFunction("f").Call(signallingNaN)[0];

        Assert.NotEqual(0x7FC0_0000UL, plain);
        Assert.Equal(0x7FC0_0000UL, canonical);
    }

    [Fact]
    public void AnI32FromTheHostWithHighBitsSetIsTakenAsItsLow32Bits()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var linker = new Linker().DefineFunction(store, "host", "minus_one", new FunctionType([], [ValueKind.I32]), call =>
            call.Results[0] = unchecked((ulong)-1L)); // sign-extended, as a careless host might write it
        Module module = Module.Compile(engine, Wat.Assemble("""
            (module (import "host" "minus_one" (func $m (result i32)))
              (func (export "widen") (result i64) (i64.extend_i32_u (call $m)))
              (func (export "widen_arg") (param i32) (result i64) (i64.extend_i32_u (local.get 0))))
            """));
        Instance instance = linker.Instantiate(store, module);

        Assert.Equal([0xFFFF_FFFFUL], instance.GetFunction("widen").Call());
        Assert.Equal([0xFFFF_FFFFUL], instance.GetFunction("widen_arg").Call(unchecked((ulong)-1L)));
    }
}
