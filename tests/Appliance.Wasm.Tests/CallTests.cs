namespace Appliance.Wasm.Tests;

/// <summary>Calling guest functions from the host: the span form allocates nothing per call.</summary>
public sealed class CallTests
{
    private const string Adder = "(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))";

    [Fact]
    public void TheSpanCallWritesTheResultsWithoutAllocating()
    {
        Function add = Wat.Instantiate(Adder).GetFunction("add");
        ulong[] arguments = [40, 2];
        ulong[] results = new ulong[1];
        add.Call(arguments, results); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            add.Call(arguments, results);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(42UL, results[0]);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ASpanTooShortForTheResultsIsRefused()
    {
        Function add = Wat.Instantiate(Adder).GetFunction("add");

        Assert.Throws<ArgumentException>(() => add.Call([1UL, 2UL], Span<ulong>.Empty));
    }
}
