namespace Appliance.Drivers.Hosting;

/// <summary>The driver trapped, ran out of fuel or time, or returned what the host cannot lift: it must be reset.</summary>
public sealed class DriverFaultException : Exception
{
    public DriverFaultException()
    {
    }

    public DriverFaultException(string message)
        : base(message)
    {
    }

    public DriverFaultException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
