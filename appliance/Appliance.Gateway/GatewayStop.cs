namespace Appliance.Gateway;

/// <summary>How a run of the gateway ended.</summary>
/// <param name="Unrecoverable">Null when it was asked to stop; otherwise the fault a restart could not fix.</param>
public sealed record GatewayStop(string? Unrecoverable)
{
    public bool IsClean => Unrecoverable is null;
}
