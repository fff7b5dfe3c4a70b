namespace Appliance.Config.Document;

/// <summary>
/// A value of a configuration document with the position where it starts: a scalar (<see cref="DocumentScalar"/>,
/// holding Tomlyn's syntax node), an <see cref="DocumentArray"/> or a <see cref="DocumentTable"/>.
/// </summary>
internal abstract class DocumentValue(TomlPosition position)
{
    /// <summary>Where the value starts; for a table, where its header (or first defining key) is.</summary>
    public TomlPosition Position { get; private protected set; } = position;

    /// <summary>A short English name of the type, for messages: "a string", "an integer", "a table".</summary>
    public abstract string Describe();
}
