namespace Appliance.Wasm.Tests;

/// <summary>The pool hands out clean instances and reuses them.</summary>
public sealed class InstancePoolTests
{
    [Fact]
    public void AReturnedInstanceComesBackResetAndNoNewOneIsMade()
    {
        var engine = new Engine();
        var store = new Store(engine);
        Module module = Module.Compile(engine, Wat.Assemble("""
            (module (global $g (mut i32) (i32.const 0))
              (func (export "next") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))
            """));
        var pool = new InstancePool(new Linker(), store, module);

        Instance first = pool.Rent();
        Assert.Equal([1UL], first.GetFunction("next").Call());
        Assert.Equal([2UL], first.GetFunction("next").Call());
        pool.Return(first);
        Instance again = pool.Rent();

        Assert.Same(first, again);
        Assert.Equal([1UL], again.GetFunction("next").Call());
        Assert.Equal(1, pool.Created);
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
}
