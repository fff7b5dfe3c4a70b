using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Gateway.Polling;
using Appliance.Gateway.Telemetry;
using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway;

/// <summary>
/// The pollers of the gateway, composed from its configuration: for every device a poller (transport and one parser
/// triplet per group) writing to one telemetry sink, the alarms they raise, and the retained status message with
/// health and voter statistics. <see cref="GatewayHost"/> runs and supervises them.
/// </summary>
public sealed class DataPath : IAsyncDisposable
{
    private readonly StatusJson _status;
    private readonly TimeProvider _time;
    private readonly ParserLanes _lanes;
    private volatile bool _faultsPaused;
    private volatile int _faultLane = -1;

    /// <param name="parserGuests">The parser guests by name; the lanes of <c>[tmr] lanes</c> name them.</param>
    /// <exception cref="ParserConfigurationException">A lane names a guest that is missing, or a guest refused a group's tag map.</exception>
    public DataPath(ApplianceConfig config, IReadOnlyDictionary<string, byte[]> parserGuests, ITelemetrySink sink, Alarms alarms, TimeProvider time, ILogger logger, Func<IReadOnlyList<Supervision.SupervisedTask>>? tasks = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _time = time;
        Alarms = alarms;
        _lanes = new ParserLanes(SandboxOptionsMapping.Lanes(config.Tmr.Lanes), parserGuests, SandboxOptionsMapping.Limits(config.Tmr));
        try
        {
            Devices = [.. config.Devices.Select(device => new DevicePoller(device, _lanes, config.Tmr, config.Telemetry, config.Node, sink, Alarms, time, logger, () => !_faultsPaused, () => _faultLane))];
        }
        catch
        {
            _lanes.Dispose();
            throw;
        }

        StatusTopic = config.Mqtt.StatusTopic + "/gateway";
        FaultInjectionConfigured = config.Tmr.FaultInjection.Enabled;
        _status = new StatusJson(config.Node, Devices, Alarms, tasks ?? (() => []));
    }

    /// <summary>Whether the configured fault injection is switched off for now (by a control client).</summary>
    public bool FaultInjectionPaused
    {
        get => _faultsPaused;
        set => _faultsPaused = value;
    }

    /// <summary>The lane (0-based) the configured faults go to, chosen by a control client; -1: a random lane per fault.</summary>
    public int FaultLane
    {
        get => _faultLane;
        set => _faultLane = value;
    }

    /// <summary>The number of voting lanes (<c>[tmr] lanes</c>).</summary>
    public int LaneCount => _lanes.Layout.Count;

    /// <summary>Whether the configuration injects faults at all.</summary>
    public bool FaultInjectionConfigured { get; private set; }

    /// <summary>The retained topic of the gateway's status message: the MQTT status topic + "/gateway".</summary>
    public string StatusTopic { get; }

    public IReadOnlyList<DevicePoller> Devices { get; }

    public IEnumerable<GroupPoller> Groups => Devices.SelectMany(device => device.Groups);

    public Alarms Alarms { get; }

    /// <summary>Adds properties to every status message (the drivers and their policy).</summary>
    public void AddToStatus(Action<System.Text.Json.Utf8JsonWriter> write) => _status.Extra += write;

    /// <summary>The status message as it would be published now.</summary>
    public byte[] Status() => _status.Format(_time.GetUtcNow());

    /// <summary>Writes the <c>lanes</c> property of the health message: each voting lane's counters summed over every group.</summary>
    public void WriteLaneTotals(System.Text.Json.Utf8JsonWriter json) => StatusJson.WriteLaneTotals(json, Groups);

    public async ValueTask DisposeAsync()
    {
        foreach (DevicePoller device in Devices)
        {
            await device.DisposeAsync().ConfigureAwait(false);
        }

        _lanes.Dispose();
    }
}
