using System.Diagnostics.CodeAnalysis;

namespace Appliance.Modbus;

/// <summary>An MBAP header whose length field cannot frame a Modbus ADU; it carries the reason and the field.</summary>
public sealed class MbapFramingException : Exception
{
    public MbapFramingException(MbapFramingError error, ushort lengthField)
        : base(Describe(error, lengthField))
    {
        Error = error;
        LengthField = lengthField;
    }

    public MbapFramingException()
        : this(MbapFramingError.LengthAboveMaximum, ushort.MaxValue)
    {
    }

    public MbapFramingException(string message)
        : base(message)
    {
    }

    public MbapFramingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What is wrong with the header.</summary>
    public MbapFramingError Error { get; }

    /// <summary>The length field as received.</summary>
    public ushort LengthField { get; }

    /// <summary>The message for a reason, naming the field and the valid range.</summary>
    public static string Describe(MbapFramingError error, ushort lengthField) => error switch
    {
        MbapFramingError.LengthBelowMinimum =>
            $"MBAP length field {lengthField} is below {MbapHeader.MinLengthField}: no room for a unit id and a function code",
        _ => $"MBAP length field {lengthField} is above {MbapHeader.MaxLengthField}: the ADU would exceed {MbapHeader.MaxAduLength} bytes",
    };

    [DoesNotReturn]
    internal static void Throw(MbapFramingError error, ushort lengthField) => throw new MbapFramingException(error, lengthField);
}
