using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Gateway.Telemetry;
using Appliance.Modbus;
using Appliance.Sandbox.Voting;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Polling;

/// <summary>
/// One PLC: its transport (one TCP connection, one transaction at a time) and its poll groups, each with its own
/// parser triplet and interval. A dead device backs off on its own and stalls no other device.
/// </summary>
public sealed class DevicePoller : IAsyncDisposable
{
    private readonly ModbusTransport _transport;
    private readonly SemaphoreSlim _oneTransaction = new(1, 1);
    private readonly Alarms _alarms;

    public DevicePoller(
        ModbusDeviceConfig config,
        ParserLanes lanes,
        TmrConfig tmr,
        TelemetryConfig telemetry,
        NodeConfig node,
        ITelemetrySink sink,
        Alarms alarms,
        TimeProvider time,
        ILogger logger,
        Func<bool>? faultsActive = null,
        Func<int>? faultLane = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tmr);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(node);
        Config = config;
        Sink = sink;
        _alarms = alarms;
        _transport = new ModbusTransport(ModbusOptionsMapping.Transport(config), time, random: null, logger);
        Groups = [.. config.Groups.Select(group => new GroupPoller(
            this,
            group,
            lanes.CreateTriplet(SandboxOptionsMapping.Mode(tmr.Mode), SandboxOptionsMapping.Tags(group.Tags), tmr.FaultInjection.Enabled ? new FaultInjector(SandboxOptionsMapping.FaultInjection(tmr.FaultInjection) with { Active = faultsActive, Lane = faultLane }) : null),
            telemetry.TopicFor(node.Id, config.Name, group.Name),
            logger))];
    }

    public ModbusDeviceConfig Config { get; }

    public IReadOnlyList<GroupPoller> Groups { get; }

    public ReasonCounters Reasons { get; } = new();

    public TransportStatistics Transport => _transport.Statistics;

    internal ITelemetrySink Sink { get; }

    internal async ValueTask<TransactionResult> TransactAsync(ReadRequest request, Memory<byte> reply, CancellationToken cancellationToken)
    {
        await _oneTransaction.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _transport.TransactAsync(request, reply, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneTransaction.Release();
        }
    }

    internal void RaiseAlarm(string text) => _alarms.Raise(text);

    public ValueTask DisposeAsync()
    {
        _transport.Dispose();
        _oneTransaction.Dispose();
        foreach (GroupPoller group in Groups)
        {
            group.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
