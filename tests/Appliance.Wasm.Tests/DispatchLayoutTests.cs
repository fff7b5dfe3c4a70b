using Appliance.Wasm.Execution;

namespace Appliance.Wasm.Tests;

/// <summary>
/// The dispatch loop is compiled in several variants that differ only in where its code lies (IDispatchLayout);
/// a machine runs the one the calibration found fastest. Every variant must compute the same.
/// </summary>
public sealed class DispatchLayoutTests
{
    private const string Program = """
        (module
          (memory 1)
          (func $fib (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
          (func (export "run") (param i32) (result i64) (local i32 i64)
            (loop $fill
              (i32.store (i32.shl (local.get 1) (i32.const 2)) (i32.mul (local.get 1) (i32.const 0x9E3779B9)))
              (br_if $fill (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (i32.const 1000))))
            (local.set 1 (i32.const 0))
            (loop $sum
              (local.set 2 (i64.add (i64.mul (local.get 2) (i64.const 31)) (i64.extend_i32_u (i32.load (i32.shl (local.get 1) (i32.const 2))))))
              (br_if $sum (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (i32.const 1000))))
            (i64.add (local.get 2) (i64.extend_i32_u (call $fib (local.get 0))))))
        """;

    [Fact]
    public void EveryVariantOfTheDispatchLoopComputesTheSameAndUsesTheSameFuel()
    {
        byte[] bytes = Wat.Assemble(Program);
        var outcomes = new List<(ulong Result, long FuelLeft)>();
        for (int variant = 0; variant < Machine.Variants; variant++)
        {
            Machine.Layout = variant;
            var engine = new Engine();
            Instance instance = new Linker().Instantiate(new Store(engine) { Fuel = 10_000_000 }, Module.Compile(engine, bytes));
            ulong result = instance.GetFunction("run").Call(20)[0];
            outcomes.Add((result, instance.Store.Fuel));
        }

        ulong expected = 0;
        for (uint i = 0; i < 1000; i++)
        {
            expected = (expected * 31) + (i * 0x9E37_79B9u);
        }

        Assert.Equal(expected + 6765, outcomes[0].Result); // fib(20) = 6765
        Assert.All(outcomes, outcome => Assert.Equal(outcomes[0], outcome));
    }
}
