namespace Appliance.Wasm.Tests;

/// <summary>
/// Dirty-block tracking: a reset copies back only the blocks written since the snapshot, so every way of writing
/// memory must mark them. Each test writes in one way, resets, and compares every byte with a fresh instance.
/// </summary>
public sealed class DirtyBlockTests
{
    private const string Writer = """
        (module
          (import "host" "poke" (func $poke (param i32 i32 i32)))
          (memory (export "memory") 2 5)
          (data (i32.const 1020) "straddles a block boundary")
          (data (i32.const 70000) "second page")
          (data $passive "passive segment bytes, for memory.init")
          (func (export "i32.store") (param i32 i64) (i32.store (local.get 0) (i32.wrap_i64 (local.get 1))))
          (func (export "i64.store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
          (func (export "f32.store") (param i32 i64) (f32.store (local.get 0) (f32.reinterpret_i32 (i32.wrap_i64 (local.get 1)))))
          (func (export "f64.store") (param i32 i64) (f64.store (local.get 0) (f64.reinterpret_i64 (local.get 1))))
          (func (export "i32.store8") (param i32 i64) (i32.store8 (local.get 0) (i32.wrap_i64 (local.get 1))))
          (func (export "i32.store16") (param i32 i64) (i32.store16 (local.get 0) (i32.wrap_i64 (local.get 1))))
          (func (export "i64.store8") (param i32 i64) (i64.store8 (local.get 0) (local.get 1)))
          (func (export "i64.store16") (param i32 i64) (i64.store16 (local.get 0) (local.get 1)))
          (func (export "i64.store32") (param i32 i64) (i64.store32 (local.get 0) (local.get 1)))
          (func (export "store.offset") (param i32 i64) (i64.store offset=1021 (local.get 0) (local.get 1)))
          (func (export "i32.store.scaled") (param i32 i64) (i32.store (i32.shl (local.get 0) (i32.const 0)) (i32.wrap_i64 (local.get 1))))
          (func (export "i64.store.scaled") (param i32 i64) (i64.store (i32.shl (local.get 0) (i32.const 0)) (local.get 1)))
          (func (export "f32.store.scaled") (param i32 i64) (f32.store (i32.shl (local.get 0) (i32.const 0)) (f32.reinterpret_i32 (i32.wrap_i64 (local.get 1)))))
          (func (export "f64.store.scaled") (param i32 i64) (f64.store (i32.shl (local.get 0) (i32.const 0)) (f64.reinterpret_i64 (local.get 1))))
          (func (export "i32.store16.scaled") (param i32 i64) (i32.store16 (i32.shl (local.get 0) (i32.const 0)) (i32.wrap_i64 (local.get 1))))
          (func (export "i32.store.constant") (param i32 i64) (i32.store (local.get 0) (i32.const 0x01020304)))
          (func (export "i64.store8.constant") (param i32 i64) (i64.store8 (local.get 0) (i64.const 0x7F)))
          (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
          (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
          (func (export "init") (param i32 i32 i32) (memory.init $passive (local.get 0) (local.get 1) (local.get 2)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "poke") (param i32 i32 i32) (call $poke (local.get 0) (local.get 1) (local.get 2))))
        """;

    private static readonly string[] Stores =
        ["i32.store", "i64.store", "f32.store", "f64.store", "i32.store8", "i32.store16", "i64.store8", "i64.store16", "i64.store32", "store.offset",
            "i32.store.scaled", "i64.store.scaled", "f32.store.scaled", "f64.store.scaled", "i32.store16.scaled", "i32.store.constant", "i64.store8.constant"];

    private readonly Engine _engine = new();
    private readonly Module _module;
    private readonly Linker _linker;
    private readonly Store _store;

    public DirtyBlockTests()
    {
        _store = new Store(_engine);
        _module = Module.Compile(_engine, Wat.Assemble(Writer));
        _linker = new Linker().DefineFunction(_store, "host", "poke", new FunctionType([ValueKind.I32, ValueKind.I32, ValueKind.I32], []), call =>
            call.GuestMemory((uint)call.Arguments[0], (uint)call.Arguments[1]).Fill((byte)call.Arguments[2]));
    }

    public static TheoryData<string> StoreOperators() => [.. Stores];

    [Theory]
    [MemberData(nameof(StoreOperators))]
    public void AResetAfterStoresOnEitherSideOfBlockBoundariesRestoresEveryByte(string store)
    {
        Instance instance = Instantiate();
        for (int round = 0; round < 3; round++)
        {
            for (uint block = 2; block < 128; block += 7)
            {
                for (uint back = 1; back <= 9; back++)
                {
                    uint at = (block * (uint)Memory.BlockSize) - back - (store == "store.offset" ? 1021u : 0);
                    Call(instance, store, at, 0x0102_0304_0506_0708UL * (back + (uint)round));
                }
            }

            AssertLikeFresh(instance, reset: true);
        }
    }

    [Fact]
    public void AResetAfterFillCopyAndInitRestoresEveryByte()
    {
        Instance instance = Instantiate();
        var random = new Random(7);
        for (int round = 0; round < 20; round++)
        {
            uint destination = (uint)random.Next(0, 2 * Memory.PageSize - 3000);
            uint count = (uint)random.Next(0, 3000);
            switch (round % 3)
            {
                case 0:
                    Call(instance, "fill", destination, (ulong)random.Next(1, 256), count);
                    break;
                case 1:
                    Call(instance, "copy", destination, 1000, count);
                    break;
                default:
                    Call(instance, "init", destination, 3, (ulong)random.Next(0, 30));
                    break;
            }

            AssertLikeFresh(instance, reset: true);
        }
    }

    [Fact]
    public void AResetAfterGrowthRestoresTheSizeAndEveryByte()
    {
        Instance instance = Instantiate();
        Assert.Equal([2UL], instance.GetFunction("grow").Call(2));
        Call(instance, "i64.store", (3 * Memory.PageSize) + 5, ulong.MaxValue);
        Call(instance, "i32.store8", 100, 1);

        AssertLikeFresh(instance, reset: true);
        Call(instance, "i32.store8", 200, 1);
        AssertLikeFresh(instance, reset: true);
    }

    [Fact]
    public void AResetAfterHostWritesRestoresEveryByte()
    {
        Instance instance = Instantiate();
        Memory memory = instance.Memory!;

        Call(instance, "poke", 1023, 2, 0xEE); // through HostCall.GuestMemory, from inside a run
        AssertLikeFresh(instance, reset: true);

        memory.Write(5000, [1, 2, 3]);
        memory.GetWritableSpan(9215, 2).Fill(0xAB);
        AssertLikeFresh(instance, reset: true);

        memory.Span[60_000] = 0x5A; // the untracked view marks every block
        Assert.True(memory.DirtyBlocks.IndexOf((byte)0) < 0, "Memory.Span left a block clean");
        AssertLikeFresh(instance, reset: true);
    }

    [Fact]
    public void OnlyTheBlocksWrittenAreDirtyAndAResetCleansThem()
    {
        Instance instance = Instantiate();
        Memory memory = instance.Memory!;
        Assert.True(memory.DirtyBlocks.IndexOfAnyExcept((byte)0) < 0, "a fresh instance has dirty blocks");

        Call(instance, "i64.store", (3 * Memory.BlockSize) - 4, 1); // bytes in blocks 2 and 3
        memory.Write(10 * Memory.BlockSize, [1]);

        int[] dirty = [.. Enumerable.Range(0, memory.BlockCount).Where(b => memory.DirtyBlocks[b] != 0)];
        Assert.Equal([2, 3, 10], dirty);
        instance.Reset();
        Assert.True(memory.DirtyBlocks.IndexOfAnyExcept((byte)0) < 0, "a reset left dirty blocks");
    }

    [Fact]
    public void AResetReturnsToTheCheckpointAndNotFurther()
    {
        Instance instance = Instantiate();
        Call(instance, "fill", 2000, 0x11, 5000);
        instance.Checkpoint();
        byte[] checkpoint = instance.Memory!.ReadOnlySpan.ToArray();

        Call(instance, "fill", 4000, 0x22, 5000);
        Call(instance, "i64.store", 100, 7);
        instance.Reset();

        Assert.True(instance.Memory.ReadOnlySpan.SequenceEqual(checkpoint), "the reset did not return to the checkpoint");
    }

    [Fact]
    public void StoresThroughAnotherInstanceThatImportsTheMemoryAreRestoredToo()
    {
        Instance owner = Instantiate();
        Instance borrower = new Linker()
            .Define("owner", "memory", owner.Memory!)
            .Instantiate(_store, Module.Compile(_engine, Wat.Assemble("""
                (module (import "owner" "memory" (memory 1))
                  (func (export "scribble") (i64.store (i32.const 40000) (i64.const -1))))
                """)));

        borrower.GetFunction("scribble").Call();

        AssertLikeFresh(owner, reset: true);
    }

    private Instance Instantiate() => _linker.Instantiate(_store, _module);

    private static void Call(Instance instance, string name, params ulong[] arguments) => instance.GetFunction(name).Call(arguments);

    private void AssertLikeFresh(Instance instance, bool reset)
    {
        if (reset)
        {
            instance.Reset();
        }

        Memory fresh = Instantiate().Memory!;
        Memory memory = instance.Memory!;
        Assert.Equal(fresh.Pages, memory.Pages);
        int differs = memory.ReadOnlySpan.CommonPrefixLength(fresh.ReadOnlySpan);
        Assert.True(memory.ReadOnlySpan.SequenceEqual(fresh.ReadOnlySpan), $"byte {differs} differs from a fresh instance's after the reset");
    }
}
