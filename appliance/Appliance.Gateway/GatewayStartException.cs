namespace Appliance.Gateway;

/// <summary>The gateway could not start: the message says what and how to fix it.</summary>
public sealed class GatewayStartException : Exception
{
    public GatewayStartException()
    {
    }

    public GatewayStartException(string message)
        : base(message)
    {
    }

    public GatewayStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the configuration is at fault (the parser refused a tag map), false for the machine (the spool's disk).</summary>
    public bool IsConfiguration { get; init; }
}
