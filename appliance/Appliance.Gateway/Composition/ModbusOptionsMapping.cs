using System.Collections.Immutable;
using Appliance.Config;
using Appliance.Modbus;

namespace Appliance.Gateway.Composition;

/// <summary>A <c>[[device]]</c> section and its poll groups as <see cref="Appliance.Modbus"/>'s own options and plans.</summary>
public static class ModbusOptionsMapping
{
    /// <summary>Where and how the transport talks to the device: host, port, timeouts and reconnect backoff.</summary>
    public static ModbusTransportOptions Transport(ModbusDeviceConfig device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new ModbusTransportOptions(device.Name, device.Host, device.Port, device.ConnectTimeout, device.RequestTimeout, Backoff(device.Backoff));
    }

    /// <summary><c>backoff_initial</c>, <c>backoff_max</c> and <c>backoff_jitter</c>.</summary>
    public static BackoffOptions Backoff(BackoffConfig backoff)
    {
        ArgumentNullException.ThrowIfNull(backoff);
        return new BackoffOptions(backoff.Initial, backoff.Max, backoff.Jitter);
    }

    /// <summary>The reads of one poll group: its registers, with its function, to the device's unit id, joined across the device's max gap.</summary>
    /// <exception cref="ArgumentException">A tag's registers cannot be read with one request (the binding never lets such a tag through).</exception>
    public static ImmutableArray<PlannedRead> Plan(ModbusDeviceConfig device, PollGroupConfig group)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(group);
        return RequestPlanner.Plan(Spans(group.Tags), device.UnitId, Function(group.Area), device.MaxGap);
    }

    /// <summary>The registers of each tag, in the group's order (a tag's index is its position).</summary>
    public static RegisterSpan[] Spans(IEnumerable<TagConfig> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return [.. tags.Select(tag => new RegisterSpan(tag.Address, tag.RegisterCount))];
    }

    /// <summary><c>registers = "holding"</c> is read with 0x03, <c>"input"</c> with 0x04.</summary>
    public static ReadFunction Function(RegisterArea area) => area switch
    {
        RegisterArea.Holding => ReadFunction.ReadHoldingRegisters,
        RegisterArea.Input => ReadFunction.ReadInputRegisters,
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, "no read function for this area"),
    };
}
