namespace Appliance.Config;

/// <summary><c>[node]</c>: who this gateway is.</summary>
/// <param name="Id">Name of the gateway, used in topics and the status message.</param>
/// <param name="Description">Free text for operators.</param>
public sealed record NodeConfig(string Id, string Description);
