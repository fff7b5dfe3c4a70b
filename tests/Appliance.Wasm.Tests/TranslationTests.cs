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

    [Theory]
    [InlineData("i32", "rotl", 0x8123_4567UL, new[] { 0L, 1, 16, 31, 32, 33, -1, -16 })]
    [InlineData("i32", "rotr", 0x8123_4567UL, new[] { 0L, 1, 16, 31, 32, 33, -1, -16 })]
    [InlineData("i64", "rotl", 0x8123_4567_89AB_CDEFUL, new[] { 0L, 1, 32, 63, 64, 65, -1, -32 })]
    [InlineData("i64", "shr_s", 0x8123_4567_89AB_CDEFUL, new[] { 0L, 1, 32, 63, 64, 65, -1, -32 })]
    [InlineData("i64", "or", 0x8123_4567_89AB_CDEFUL, new[] { 0L, 1, -1, 0x7FFF_FFFF_0000L, long.MinValue })]
    public void AConstantRightOperandGivesWhatTheSameOperandInALocalGives(string type, string op, ulong left, long[] constants)
    {
        foreach (long constant in constants)
        {
            Instance instance = Wat.Instantiate($$"""
                (module
                  (func (export "immediate") (param {{type}}) (result {{type}}) ({{type}}.{{op}} (local.get 0) ({{type}}.const {{constant}})))
                  (func (export "constant-left") (param {{type}}) (result {{type}}) ({{type}}.{{op}} ({{type}}.const {{constant}}) (local.get 0)))
                  (func (export "slots") (param {{type}} {{type}}) (result {{type}}) ({{type}}.{{op}} (local.get 0) (local.get 1)))
                  (func (export "slots-swapped") (param {{type}} {{type}}) (result {{type}}) ({{type}}.{{op}} (local.get 1) (local.get 0))))
                """);
            ulong value = type == "i32" ? (uint)left : left;
            ulong operand = type == "i32" ? (uint)constant : (ulong)constant;

            Assert.Equal(instance.GetFunction("slots").Call(value, operand), instance.GetFunction("immediate").Call(value));
            Assert.Equal(instance.GetFunction("slots-swapped").Call(value, operand), instance.GetFunction("constant-left").Call(value));
        }
    }

    [Theory]
    [InlineData("i32.store", "i32", "-1")]
    [InlineData("i32.store", "i32", "0x12345678")]
    [InlineData("i32.store8", "i32", "0x1FF")]
    [InlineData("i32.store16", "i32", "-2")]
    [InlineData("i64.store", "i64", "-1")]
    [InlineData("i64.store", "i64", "0x7FFFFFFF")]
    [InlineData("i64.store", "i64", "0x80000000")]
    [InlineData("i64.store", "i64", "0x123456789ABCDEF0")]
    [InlineData("i64.store8", "i64", "0x1234")]
    [InlineData("i64.store16", "i64", "-3")]
    [InlineData("i64.store32", "i64", "0x123456789")]
    [InlineData("f32.store", "f32", "-0x1.8p-3")]
    [InlineData("f64.store", "f64", "-0.0")]
    [InlineData("f64.store", "f64", "0x1.23456789p+100")]
    public void AStoreOfAConstantWritesWhatAStoreOfTheSameValueFromALocalWrites(string store, string type, string constant)
    {
        Instance instance = Wat.Instantiate($$"""
            (module
              (memory (export "memory") 1)
              (func (export "immediate") (param i32) ({{store}} offset=3 (local.get 0) ({{type}}.const {{constant}})))
              (func (export "local") (param i32) (local {{type}}) (local.set 1 ({{type}}.const {{constant}})) ({{store}} offset=3 (local.get 0) (local.get 1)))
              (func (export "read") (param i32) (result i64) (i64.load (local.get 0))))
            """);
        foreach (uint at in new uint[] { 0, 1021, 65_525 })
        {
            instance.GetFunction("immediate").Call(at);
            ulong immediate = instance.GetFunction("read").Call(at + 3)[0];
            instance.Reset();
            instance.GetFunction("local").Call(at);
            Assert.Equal(instance.GetFunction("read").Call(at + 3)[0], immediate);
            instance.Reset();
        }

        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.GetFunction("immediate").Call(65_533)).Code);
    }
}
