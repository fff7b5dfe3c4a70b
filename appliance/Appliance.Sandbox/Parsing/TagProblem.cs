namespace Appliance.Sandbox.Parsing;

/// <summary>The <c>tag-problem</c> enum of <c>wit/modbus-parser.wit</c>: why the parser refused a tag map.</summary>
public enum TagProblem : byte
{
    TooManyTags,
    BadBit,
    BadLength,
    BadOrder,
    BadScale,
}
