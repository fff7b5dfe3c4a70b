namespace Appliance.Wasm.Conformance;

/// <summary>A call that trapped; <see cref="Exhaustion"/> when a stack limit stopped it (<c>assert_exhaustion</c>).</summary>
public sealed class SpecTrapException : Exception
{
    public SpecTrapException()
    {
    }

    public SpecTrapException(string message)
        : base(message)
    {
    }

    public SpecTrapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SpecTrapException(string message, bool exhaustion, Exception? innerException = null)
        : base(message, innerException)
    {
        Exhaustion = exhaustion;
    }

    public bool Exhaustion { get; }
}
