using Appliance.Gateway.Polling;
using Appliance.Sandbox.Parsing;

namespace Appliance.Gateway.Telemetry;

/// <summary>
/// One tag's entry in a telemetry message: a value, or the reason it has none. Every value that can be made is one
/// the formatter can write as JSON: a real that is not finite becomes the error "not-finite".
/// </summary>
public readonly record struct TagValue
{
    private TagValue(ValueCase valueCase, ulong bits, string? text, string? error)
    {
        Case = valueCase;
        Bits = bits;
        Text = text;
        Error = error;
    }

    public ValueCase Case { get; }

    /// <summary>Boolean (0/1), signed, unsigned and real (IEEE bits) payloads.</summary>
    public ulong Bits { get; }

    public string? Text { get; }

    public string? Error { get; }

    public bool IsError => Error is not null;

    public static TagValue Failed(string reason) => new(default, 0, null, reason);

    public static TagValue Boolean(bool value) => new(ValueCase.Boolean, value ? 1UL : 0UL, null, null);

    public static TagValue Signed(long value) => new(ValueCase.Signed, unchecked((ulong)value), null, null);

    public static TagValue Unsigned(ulong value) => new(ValueCase.Unsigned, value, null, null);

    public static TagValue Real(double value) =>
        double.IsFinite(value) ? new(ValueCase.Real, BitConverter.DoubleToUInt64Bits(value), null, null) : Failed(FailureReasons.NotFinite);

    /// <summary>A text value; text that is not well-formed UTF-16 (a lone surrogate) cannot be JSON and becomes the error "not-text".</summary>
    public static TagValue OfText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsWellFormed(value) ? new(ValueCase.Text, 0, value, null) : Failed(FailureReasons.NotText);
    }

    /// <summary>A value of a voted reading's case; a case the host does not know is an error, never a value.</summary>
    public static TagValue Of(ValueCase valueCase, ulong bits, string? text) => valueCase switch
    {
        ValueCase.Boolean => Boolean(bits != 0),
        ValueCase.Signed => Signed(unchecked((long)bits)),
        ValueCase.Unsigned => Unsigned(bits),
        ValueCase.Real => Real(BitConverter.UInt64BitsToDouble(bits)),
        ValueCase.Text when text is not null => OfText(text),
        _ => Failed(FailureReasons.NotText),
    };

    private static bool IsWellFormed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
