namespace Appliance.Wasm.Tests;

/// <summary>No module, however hostile, crashes or hangs the host: every limit ends in a clean refusal or trap.</summary>
public sealed class LimitTests
{
    [Fact]
    public void AnInfiniteLoopIsStoppedByFuel()
    {
        Instance instance = Wat.Instantiate("(module (func (export \"spin\") (loop (br 0))))");
        instance.Store.Fuel = 100_000;

        TrapException trap = Assert.Throws<TrapException>(() => instance.GetFunction("spin").Call());

        Assert.Equal(TrapCode.OutOfFuel, trap.Code);
        Assert.True(instance.Store.Fuel < 10, $"fuel left: {instance.Store.Fuel}");
    }

    [Fact]
    public void ARunOutOfFuelResumesWhereItStoppedAfterRefuelling()
    {
        Instance instance = Wat.Instantiate("""
            (module (func (export "count") (param $n i32) (result i32) (local $i i32)
              (loop $l
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
              (local.get $i)))
            """);
        instance.Store.Fuel = 1_000;
        Assert.Equal(TrapCode.OutOfFuel, Assert.Throws<TrapException>(() => instance.GetFunction("count").Call(100_000)).Code);

        ulong[] results = [];
        int refuels = 0;
        while (true)
        {
            instance.Store.Fuel += 100_000;
            refuels++;
            try
            {
                results = instance.Store.Resume();
                break;
            }
            catch (TrapException trap) when (trap.Code == TrapCode.OutOfFuel)
            {
            }
        }

        Assert.Equal([100_000UL], results);
        Assert.True(refuels > 1);
    }

    [Fact]
    public void FuelIsChargedPerOperatorSoTheSameRunCostsTheSame()
    {
        const string Text = "(module (func (export \"f\") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))";
        Instance first = Wat.Instantiate(Text);
        Instance second = Wat.Instantiate(Text);
        first.Store.Fuel = second.Store.Fuel = 1_000;

        first.GetFunction("f").Call(1);
        second.GetFunction("f").Call(2);

        // local.get, i32.const, i32.add, end: four operators.
        Assert.Equal(996, first.Store.Fuel);
        Assert.Equal(first.Store.Fuel, second.Store.Fuel);
    }

    [Fact]
    public void UnboundedRecursionIsATrapNotAStackOverflow()
    {
        Instance instance = Wat.Instantiate("(module (func $f (export \"f\") (call $f)))");

        TrapException trap = Assert.Throws<TrapException>(() => instance.GetFunction("f").Call());

        Assert.Equal(TrapCode.CallStackExhausted, trap.Code);
    }

    [Fact]
    public void AModuleAskingForAllOfMemoryIsRefused()
    {
        var engine = new Engine();
        Module module = Module.Compile(engine, Wat.Assemble("(module (memory 65536))"));

        WasmModuleException refused = Assert.Throws<WasmModuleException>(() => new Linker().Instantiate(new Store(engine), module));

        Assert.Equal(ModuleErrorKind.Uninstantiable, refused.Kind);
        Assert.Contains("65536 pages", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATenMillionEntryTableIsRefused()
    {
        var engine = new Engine();
        Module module = Module.Compile(engine, Wat.Assemble("(module (table 10000000 funcref))"));

        WasmModuleException refused = Assert.Throws<WasmModuleException>(() => new Linker().Instantiate(new Store(engine), module));

        Assert.Equal(ModuleErrorKind.Uninstantiable, refused.Kind);
    }

    [Fact]
    public void AGigabyteSectionIsRefusedBeforeAnythingIsRead()
    {
        // "\0asm", version 1, a type section claiming 1 GiB (LEB128 0x80 0x80 0x80 0x80 0x04), then nothing.
        byte[] bytes = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x80, 0x80, 0x80, 0x80, 0x04];

        WasmModuleException refused = Assert.Throws<WasmModuleException>(() => Module.Compile(new Engine(), bytes));

        Assert.Equal(ModuleErrorKind.LimitExceeded, refused.Kind);
        Assert.Contains("1073741824 bytes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryGrowthStopsAtTheEngineLimit()
    {
        Instance instance = Wat.Instantiate(
            "(module (memory 1) (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))",
            new EngineConfig { MaxMemoryPages = 4 });

        Assert.Equal([1UL], instance.GetFunction("grow").Call(3));
        Assert.Equal([(ulong)uint.MaxValue], instance.GetFunction("grow").Call(1));
    }
}
