namespace Appliance.Cli;

/// <summary>The command line is wrong; the message says how to write it instead.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    public UsageException()
        : this("invalid command line")
    {
    }

    public UsageException(string message, Exception innerException)
        : this(message + ": " + innerException.Message)
    {
    }
}
