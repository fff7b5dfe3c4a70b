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

    [Fact]
    public void ALoopRegionTooLargeForAJumpsCostFieldStillChargesItsBodyOncePerIteration()
    {
        // 70,000 nops make the loop region larger than a jump's 16-bit cost: the back-edge lands on the Fuel instruction.
        string nops = string.Concat(Enumerable.Repeat("nop ", 70_000));
        Instance instance = Wat.Instantiate($$"""
            (module (func (export "count") (param i32) (result i32) (local i32)
              (loop $l {{nops}} (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0))))
              (local.get 1)))
            """);
        instance.Store.Fuel = 10_000_000;

        Assert.Equal([10UL], instance.GetFunction("count").Call(10));
        Assert.Equal(3 + ((70_000 + 8) * 10), 10_000_000 - instance.Store.Fuel);
    }

    [Theory]
    [InlineData("eq")]
    [InlineData("ne")]
    [InlineData("lt_s")]
    [InlineData("lt_u")]
    [InlineData("gt_s")]
    [InlineData("gt_u")]
    [InlineData("le_s")]
    [InlineData("le_u")]
    [InlineData("ge_s")]
    [InlineData("ge_u")]
    public void ALoopCounterTestedByTheJumpThatFollowsItsIncrementCountsAsWhenTestedApart(string comparison)
    {
        // Each loop closes with i += step and a test of i: fused into one instruction, against the same test
        // through a local, which keeps them apart. The count of iterations is bounded by 50.
        string Loop(string test) => $$"""
            (local.set $i (local.get $start))
            (local.set $s (local.get $step))
            (block $done (loop $l
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (br_if $done (i32.ge_u (local.get $n) (i32.const 50)))
              {{test}}))
            (i32.add (i32.mul (local.get $n) (i32.const 0x10000)) (local.get $i))
            """;
        // The step is a constant, or (for "0") the value of a local, which the step parameter gives.
        string Tee(string step) => step == "0"
            ? "(local.tee $i (i32.add (local.get $i) (local.get $s)))"
            : $"(local.tee $i (i32.add (local.get $i) (i32.const {step})))";
        string Function(string name, string test) =>
            $"(func (export \"{name}\") (param $start i32) (param $limit i32) (param $step i32) (result i32) (local $i i32) (local $n i32) (local $c i32) (local $s i32) {Loop(test)})";
        var functions = new List<string>();
        foreach (string step in new[] { "1", "-1", "3", "0x7fffffff", "0" })
        {
            functions.Add(Function($"slot{step}", $"(br_if $l (i32.{comparison} {Tee(step)} (local.get $limit)))"));
            functions.Add(Function($"slot-apart{step}", $"(local.set $c (i32.{comparison} {Tee(step)} (local.get $limit))) (br_if $l (local.get $c))"));
            functions.Add(Function($"swapped{step}", $"(br_if $l (i32.{comparison} (local.get $limit) {Tee(step)}))"));
            functions.Add(Function($"swapped-apart{step}", $"(local.set $c (i32.{comparison} (local.get $limit) {Tee(step)})) (br_if $l (local.get $c))"));
            functions.Add(Function($"imm{step}", $"(br_if $l (i32.{comparison} {Tee(step)} (i32.const 7)))"));
            functions.Add(Function($"imm-apart{step}", $"(local.set $c (i32.{comparison} {Tee(step)} (i32.const 7))) (br_if $l (local.get $c))"));
            functions.Add(Function($"nez{step}", $"(br_if $l {Tee(step)})"));
            functions.Add(Function($"nez-apart{step}", $"(local.set $c {Tee(step)}) (br_if $l (local.get $c))"));
            functions.Add(Function($"eqz{step}", $"(br_if $l (i32.eqz {Tee(step)}))"));
            functions.Add(Function($"eqz-apart{step}", $"(local.set $c (i32.eqz {Tee(step)})) (br_if $l (local.get $c))"));
        }

        Instance instance = Wat.Instantiate($"(module {string.Join('\n', functions)})");
        foreach (string step in new[] { "1", "-1", "3", "0x7fffffff", "0" })
        {
            foreach (string form in new[] { "slot", "swapped", "imm", "nez", "eqz" })
            {
                foreach ((uint start, uint limit) in new (uint, uint)[] { (0, 10), (5, 7), (uint.MaxValue - 3, 2), (0x7FFF_FFFE, 0x8000_0002), (20, 3) })
                {
                    foreach (uint slotStep in new uint[] { 1, uint.MaxValue, 5 })
                    {
                        Assert.Equal(
                            instance.GetFunction($"{form}-apart{step}").Call(start, limit, slotStep),
                            instance.GetFunction($"{form}{step}").Call(start, limit, slotStep));
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("f64")]
    [InlineData("f32")]
    public void FloatSuperinstructionsGiveWhatTheOperatorsGiveApart(string type)
    {
        // Each pair computes the same expression: fused (an operand loaded or computed just before the operator
        // that takes it) and apart (that operand first put in a local, which keeps the instructions apart).
        int size = type == "f64" ? 8 : 4;
        var pairs = new (string Name, string Fused, string Apart)[]
        {
            ("mul-load", $"({type}.mul (local.get 0) ({type}.load offset=8 (local.get 2)))", $"(local.set 3 ({type}.load offset=8 (local.get 2))) ({type}.mul (local.get 0) (local.get 3))"),
            ("add-load", $"({type}.add (local.get 0) ({type}.load (local.get 2)))", $"(local.set 3 ({type}.load (local.get 2))) ({type}.add (local.get 0) (local.get 3))"),
            ("sub-load", $"({type}.sub (local.get 1) ({type}.load offset=4 (i32.add (local.get 2) (i32.const -4))))", $"(local.set 3 ({type}.load offset=4 (i32.add (local.get 2) (i32.const -4)))) ({type}.sub (local.get 1) (local.get 3))"),
            ("load-load", $"({type}.mul ({type}.load (local.get 2)) ({type}.load offset={size} (local.get 2)))", $"(local.set 3 ({type}.load offset={size} (local.get 2))) ({type}.mul ({type}.load (local.get 2)) (local.get 3))"),
            ("add-mul", $"({type}.add (local.get 0) ({type}.mul (local.get 1) (local.get 0)))", $"(local.set 3 ({type}.mul (local.get 1) (local.get 0))) ({type}.add (local.get 0) (local.get 3))"),
            ("add-add", $"({type}.add (local.get 1) ({type}.add (local.get 0) (local.get 1)))", $"(local.set 3 ({type}.add (local.get 0) (local.get 1))) ({type}.add (local.get 1) (local.get 3))"),
            ("mul-add", $"({type}.add ({type}.mul (local.get 0) (local.get 1)) (local.get 1))", $"(local.set 3 ({type}.mul (local.get 0) (local.get 1))) ({type}.add (local.get 3) (local.get 1))"),
            ("mul-add-constant", $"({type}.add ({type}.mul (local.get 0) ({type}.load (local.get 2))) ({type}.const 1.5))", $"(local.set 3 ({type}.mul (local.get 0) ({type}.load (local.get 2)))) ({type}.add (local.get 3) ({type}.const 1.5))"),
        };
        var functions = new List<string>();
        foreach ((string name, string fused, string apart) in pairs)
        {
            functions.Add($"(func (export \"{name}\") (param {type} {type} i32) (result {type}) (local {type}) {fused})");
            functions.Add($"(func (export \"{name}-apart\") (param {type} {type} i32) (result {type}) (local {type}) {apart})");
        }

        string module = $$"""
            (module (memory (export "memory") 1)
              (func (export "put") (param i32 {{type}}) ({{type}}.store (local.get 0) (local.get 1)))
              {{string.Join('\n', functions)}})
            """;
        double[] values = [1.5, -0.0, 0.1, 3e38, double.PositiveInfinity, double.NaN, -7.25];
        foreach (bool canonicalize in new[] { false, true })
        {
            Instance instance = Wat.Instantiate(module, new EngineConfig { CanonicalizeNaNs = canonicalize, RequireResetAfterTrap = false });
            ulong Bits(double value) => type == "f64" ? BitConverter.DoubleToUInt64Bits(value) : BitConverter.SingleToUInt32Bits((float)value);
            for (int k = 0; k < values.Length; k++)
            {
                instance.GetFunction("put").Call((ulong)(k * 16), Bits(values[k]));
                instance.GetFunction("put").Call((ulong)(k * 16) + (ulong)size, Bits(values[(k + 3) % values.Length]));
                instance.GetFunction("put").Call((ulong)(k * 16) + 8, Bits(values[(k + 5) % values.Length]));
            }

            foreach ((string name, _, _) in pairs)
            {
                foreach (double a in values)
                {
                    foreach (double b in values)
                    {
                        foreach (uint at in new uint[] { 0, 16, 48, 96, 65_536 - 8, 65_536 - 4, 65_536 })
                        {
                            ulong[] arguments = [Bits(a), Bits(b), at];
                            TrapCode? apartTrap = null, fusedTrap = null;
                            ulong[] apart = [], fused = [];
                            try
                            {
                                apart = instance.GetFunction(name + "-apart").Call(arguments);
                            }
                            catch (TrapException trap)
                            {
                                apartTrap = trap.Code;
                            }

                            try
                            {
                                fused = instance.GetFunction(name).Call(arguments);
                            }
                            catch (TrapException trap)
                            {
                                fusedTrap = trap.Code;
                            }

                            Assert.Equal(apartTrap, fusedTrap);
                            Assert.Equal(apart, fused);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("add", "shl")]
    [InlineData("add", "shr_u")]
    [InlineData("or", "shl")]
    [InlineData("or", "shr_u")]
    [InlineData("xor", "shl")]
    [InlineData("xor", "shr_u")]
    [InlineData("add", "mul")]
    public void AnOperandShiftedByAConstantGivesWhatTheOperatorsGiveApart(string op, string shift)
    {
        var functions = new List<string>();
        foreach (int amount in new[] { 0, 1, 8, 31, 32, 33, -1 })
        {
            string shifted = $"(i32.{shift} (local.get 1) (i32.const {amount}))";
            functions.Add($"(func (export \"right{amount}\") (param i32 i32) (result i32) (local i32) (i32.{op} (local.get 0) {shifted}))");
            functions.Add($"(func (export \"left{amount}\") (param i32 i32) (result i32) (local i32) (i32.{op} {shifted} (local.get 0)))");
            functions.Add($"(func (export \"apart{amount}\") (param i32 i32) (result i32) (local i32) (local.set 2 {shifted}) (i32.{op} (local.get 0) (local.get 2)))");
        }

        Instance instance = Wat.Instantiate($"(module {string.Join('\n', functions)})");
        foreach (int amount in new[] { 0, 1, 8, 31, 32, 33, -1 })
        {
            foreach ((uint x, uint y) in new (uint, uint)[] { (0, 0), (1, 0x8000_0001), (0x1234_5678, 0x9ABC_DEF0), (uint.MaxValue, uint.MaxValue) })
            {
                ulong[] apart = instance.GetFunction($"apart{amount}").Call(x, y);
                Assert.Equal(apart, instance.GetFunction($"right{amount}").Call(x, y));
                Assert.Equal(apart, instance.GetFunction($"left{amount}").Call(x, y));
            }
        }
    }

    [Theory]
    [InlineData("add", "i32.load")]
    [InlineData("add", "i32.load8_u")]
    [InlineData("or", "i32.load")]
    [InlineData("or", "i32.load8_u")]
    [InlineData("xor", "i32.load")]
    [InlineData("xor", "i32.load8_u")]
    public void AnOperandJustLoadedGivesWhatTheOperatorsGiveApart(string op, string load)
    {
        string loaded = $"({load} offset=3 (i32.add (local.get 1) (i32.const -2)))";
        Instance instance = Wat.Instantiate($$"""
            (module (memory 1) (data (i32.const 0) "\01\82\03\f4\05\06\87\08\09\0a\0b\0c")
              (func (export "fused") (param i32 i32) (result i32) (local i32) (i32.{{op}} (local.get 0) {{loaded}}))
              (func (export "apart") (param i32 i32) (result i32) (local i32) (local.set 2 {{loaded}}) (i32.{{op}} (local.get 0) (local.get 2))))
            """, new EngineConfig { RequireResetAfterTrap = false });
        foreach (uint x in new uint[] { 0, 0x8000_0001, uint.MaxValue })
        {
            foreach (uint at in new uint[] { 0, 1, 5, 65_530, 65_535, uint.MaxValue })
            {
                TrapCode? apartTrap = null, fusedTrap = null;
                ulong[] apart = [], fused = [];
                try
                {
                    apart = instance.GetFunction("apart").Call(x, at);
                }
                catch (TrapException trap)
                {
                    apartTrap = trap.Code;
                }

                try
                {
                    fused = instance.GetFunction("fused").Call(x, at);
                }
                catch (TrapException trap)
                {
                    fusedTrap = trap.Code;
                }

                Assert.Equal(apartTrap, fusedTrap);
                Assert.Equal(apart, fused);
            }
        }
    }

    [Theory]
    [InlineData("i32.load", "i32.store", 2)]
    [InlineData("i64.load", "i64.store", 3)]
    [InlineData("f32.load", "f32.store", 2)]
    [InlineData("f64.load", "f64.store", 3)]
    [InlineData("i32.load16_u", "i32.store16", 1)]
    public void AnIndexShiftedByAConstantAddressesWhatTheOperatorsAddressApart(string load, string store, int shift)
    {
        // base + (i << shift) with a folded base, and i << shift alone with a memarg offset; apart: the index in a local.
        string type = load[..3];
        Instance instance = Wat.Instantiate($$"""
            (module (memory 1)
              (func (export "put") (param i32 {{type}}) ({{store}} (i32.add (i32.shl (local.get 0) (i32.const {{shift}})) (i32.const 8)) (local.get 1)))
              (func (export "put-apart") (param i32 {{type}}) (local i32) (local.set 2 (i32.shl (local.get 0) (i32.const {{shift}}))) ({{store}} (i32.add (local.get 2) (i32.const 8)) (local.get 1)))
              (func (export "get") (param i32) (result {{type}}) ({{load}} (i32.add (i32.shl (local.get 0) (i32.const {{shift}})) (i32.const 8))))
              (func (export "get-offset") (param i32) (result {{type}}) ({{load}} offset=8 (i32.shl (local.get 0) (i32.const {{shift}}))))
              (func (export "get-apart") (param i32) (result {{type}}) (local i32) (local.set 1 (i32.shl (local.get 0) (i32.const {{shift}}))) ({{load}} (i32.add (local.get 1) (i32.const 8))))
              (func (export "get-offset-apart") (param i32) (result {{type}}) (local i32) (local.set 1 (i32.shl (local.get 0) (i32.const {{shift}}))) ({{load}} offset=8 (local.get 1))))
            """, new EngineConfig { RequireResetAfterTrap = false });
        ulong Outcome(string function, params ulong[] arguments)
        {
            try
            {
                ulong[] results = instance.GetFunction(function).Call(arguments);
                return results.Length == 0 ? 0 : results[0];
            }
            catch (TrapException trap)
            {
                return 0xDEAD_0000UL + (ulong)trap.Code;
            }
        }

        foreach (uint index in new uint[] { 0, 1, 7, 1000, (uint)(65_536 >> shift) - 3, (uint)(65_536 >> shift) - 2, 0x4000_0000, uint.MaxValue })
        {
            Assert.Equal(Outcome("put-apart", index, 0x1122_3344_5566_7788UL), Outcome("put", index, 0x1122_3344_5566_7788UL));
            Assert.Equal(Outcome("get-apart", index), Outcome("get", index));
            Assert.Equal(Outcome("get-offset-apart", index), Outcome("get-offset", index));
        }
    }

    [Theory]
    [InlineData("i32", "rotl", 0x8123_4567UL, new[] { 0L, 1, 16, 31, 32, 33, -1, -16 })]
    [InlineData("i32", "rotr", 0x8123_4567UL, new[] { 0L, 1, 16, 31, 32, 33, -1, -16 })]
    [InlineData("i64", "rotl", 0x8123_4567_89AB_CDEFUL, new[] { 0L, 1, 32, 63, 64, 65, -1, -32 })]
    [InlineData("i64", "shr_s", 0x8123_4567_89AB_CDEFUL, new[] { 0L, 1, 32, 63, 64, 65, -1, -32 })]
    [InlineData("i64", "or", 0x8123_4567_89AB_CDEFUL, new[] { 0L, 1, -1, 0x7FFF_FFFF_0000L, long.MinValue })]
    [InlineData("i64", "mul", 0x8123_4567_89AB_CDEFUL, new[] { 0L, 1, -1, 0x100_0000_01B3L, long.MinValue })]
    [InlineData("i64", "xor", 0x8123_4567_89AB_CDEFUL, new[] { 0L, 1, -1, 0x7FFF_FFFF_0000L, long.MinValue })]
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
