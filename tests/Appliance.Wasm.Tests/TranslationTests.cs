namespace Appliance.Wasm.Tests;

/// <summary>
/// The translator's fusions (immediates, compare-and-branch, retargeted results, folded addresses) must
/// never reach across a label: a value that arrives at a block's end by a branch is not the one the
/// block's last instruction computed.
/// </summary>
public sealed class TranslationTests
{
    private const string JoinPoints = """
        (module
          (func (export "set-after-join") (param i32) (result i32) (local i32)
            (block (result i32)
              (drop (br_if 0 (i32.const 7) (local.get 0)))
              (i32.lt_s (local.get 0) (i32.const 5)))
            (local.set 1)
            (local.get 1))
          (func (export "branch-after-join") (param i32) (result i32)
            (block (result i32)
              (drop (br_if 0 (i32.const 7) (local.get 0)))
              (i32.lt_s (local.get 0) (i32.const 5)))
            (if (result i32) (then (i32.const 100)) (else (i32.const 200))))
          (memory 1)
          (data (i32.const 7) "\2a")
          (func (export "load-after-join") (param i32) (result i32)
            (block (result i32)
              (drop (br_if 0 (i32.const 7) (local.get 0)))
              (i32.add (local.get 0) (i32.const 1000)))
            (i32.load8_u)))
        """;

    [Theory]
    [InlineData("set-after-join", 9, 7)]
    [InlineData("set-after-join", 0, 1)]
    [InlineData("branch-after-join", 9, 100)]
    [InlineData("branch-after-join", 0, 100)]
    [InlineData("load-after-join", 9, 42)]
    [InlineData("load-after-join", 0, 0)]
    public void AValueArrivingAtABlockEndByABranchIsTheOneUsed(string function, uint argument, uint expected)
    {
        Instance instance = Wat.Instantiate(JoinPoints);

        Assert.Equal([(ulong)expected], instance.GetFunction(function).Call(argument));
    }

    [Fact]
    public void ALoopRegionChargesItsBodyOncePerIteration()
    {
        // Loop body: local.get, i32.const, i32.add, local.tee, local.get, i32.lt_u, br_if and the loop's end = 8.
        Instance instance = Wat.Instantiate("""
            (module (func (export "count") (param i32) (result i32) (local i32)
              (loop $l (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0))))
              (local.get 1)))
            """);
        instance.Store.Fuel = 1_000_000;

        instance.GetFunction("count").Call(1_000);
        long used = 1_000_000 - instance.Store.Fuel;

        // Function region: loop, local.get, end = 3; the loop region: 8 per iteration.
        Assert.Equal(3 + (8 * 1_000), used);
    }
}
