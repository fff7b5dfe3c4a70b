namespace Appliance.Fuzz;

/// <summary>The two parser guests answered one input differently, or one of them did not complete: a finding.</summary>
public sealed class ParserDisagreementException : Exception
{
    public ParserDisagreementException()
    {
    }

    public ParserDisagreementException(string message)
        : base(message)
    {
    }

    public ParserDisagreementException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
