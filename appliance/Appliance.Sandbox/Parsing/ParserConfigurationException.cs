namespace Appliance.Sandbox.Parsing;

/// <summary>The parser module cannot be used with a tag map: it refused the map, lacks the world's exports, or trapped while configuring.</summary>
public sealed class ParserConfigurationException : Exception
{
    public ParserConfigurationException()
    {
    }

    public ParserConfigurationException(string message)
        : base(message)
    {
    }

    public ParserConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Index of the refused tag, or -1.</summary>
    public int Tag { get; init; } = -1;

    public TagProblem? Problem { get; init; }
}
