namespace Appliance.Wasm.Conformance;

/// <summary>Where a module was refused: <c>assert_invalid</c>/<c>assert_malformed</c>, <c>assert_unlinkable</c>, <c>assert_uninstantiable</c>.</summary>
public enum SpecRefusalStep
{
    /// <summary>Decoding or validation.</summary>
    Compile,

    /// <summary>Resolving its imports.</summary>
    Link,

    /// <summary>Running its segments or start function.</summary>
    Instantiate,
}
