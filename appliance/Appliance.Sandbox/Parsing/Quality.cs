namespace Appliance.Sandbox.Parsing;

/// <summary>The <c>quality</c> enum of <c>wit/modbus-parser.wit</c>.</summary>
public enum Quality : byte
{
    Good,

    /// <summary>NaN or infinite.</summary>
    NotFinite,

    /// <summary>A text tag holds bytes outside printable ASCII.</summary>
    NotText,
}
