namespace Appliance.Wasm.Conformance;

/// <summary>A module the engine refused, and the step at which it did.</summary>
public sealed class SpecRefusalException : Exception
{
    public SpecRefusalException()
    {
    }

    public SpecRefusalException(string message)
        : base(message)
    {
    }

    public SpecRefusalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SpecRefusalException(SpecRefusalStep step, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Step = step;
    }

    public SpecRefusalStep Step { get; }
}
