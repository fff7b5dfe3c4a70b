namespace Appliance.Config;

/// <summary>A broker URL taken apart: <c>mqtt://host:port</c> or <c>mqtts://host:port</c>.</summary>
public sealed record BrokerAddress(bool UseTls, string Host, int Port)
{
    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
