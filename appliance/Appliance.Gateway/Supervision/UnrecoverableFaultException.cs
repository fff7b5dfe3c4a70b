namespace Appliance.Gateway.Supervision;

/// <summary>A fault that restarting the task cannot fix (the spool closed under a running gateway): the gateway stops and says why.</summary>
public sealed class UnrecoverableFaultException : Exception
{
    public UnrecoverableFaultException()
    {
    }

    public UnrecoverableFaultException(string message)
        : base(message)
    {
    }

    public UnrecoverableFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
