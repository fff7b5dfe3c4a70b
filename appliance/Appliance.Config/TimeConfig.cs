namespace Appliance.Config;

/// <summary>
/// <c>[time]</c>: where the appliance's clock comes from. A Raspberry Pi has no real-time clock: until a time server
/// answers, its clock (and every message's <c>ts</c>) is wrong. The appliance's image gives these servers to the
/// system's time synchronisation (systemd-timesyncd) at every boot.
/// </summary>
/// <param name="Ntp">The NTP servers (host names or IP addresses), in order of preference; empty: those the network's
/// DHCP server names, else Debian's public pool.</param>
public sealed record TimeConfig(IReadOnlyList<string> Ntp)
{
    /// <summary>The most servers one list may name.</summary>
    public const int MaxServers = 8;

    public static TimeConfig Default { get; } = new([]);
}
