using Tomlyn;
using Tomlyn.Syntax;

namespace Appliance.Config.Document;

/// <summary>
/// A string, integer, float, boolean or date-time: Tomlyn's syntax node, which carries the decoded value
/// (<see cref="StringValueSyntax.Value"/>, <see cref="IntegerValueSyntax.Value"/>, ...).
/// </summary>
internal sealed class DocumentScalar(ValueSyntax syntax, TomlPosition position) : DocumentValue(position)
{
    public ValueSyntax Syntax { get; } = syntax;

    public override string Describe() => Syntax switch
    {
        StringValueSyntax => "a string",
        IntegerValueSyntax => "an integer",
        FloatValueSyntax => "a float",
        BooleanValueSyntax => "a boolean",
        DateTimeValueSyntax dateTime => dateTime.Value.Kind switch
        {
            TomlDateTimeKind.LocalDateTime => "a local date-time",
            TomlDateTimeKind.LocalDate => "a local date",
            TomlDateTimeKind.LocalTime => "a local time",
            _ => "an offset date-time",
        },
        _ => "a value",
    };
}
