using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Gateway.Polling;
using Appliance.Gateway.Telemetry;
using Appliance.Sandbox.Parsing;
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

    /// <exception cref="ParserConfigurationException">The parser guest refused a group's tag map.</exception>
    public DataPath(ApplianceConfig config, byte[] parserGuest, ITelemetrySink sink, Alarms alarms, TimeProvider time, ILogger logger, Func<IReadOnlyList<Supervision.SupervisedTask>>? tasks = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _time = time;
        Alarms = alarms;
        ParserModule parser = ParserModule.Compile(parserGuest, SandboxOptionsMapping.Limits(config.Tmr));
        Devices = [.. config.Devices.Select(device => new DevicePoller(device, parser, config.Tmr, config.Telemetry, config.Node, sink, Alarms, time, logger))];
        StatusTopic = config.Mqtt.StatusTopic + "/gateway";
        _status = new StatusJson(config.Node, Devices, Alarms, tasks ?? (() => []));
    }

    /// <summary>The retained topic of the gateway's status message: the MQTT status topic + "/gateway".</summary>
    public string StatusTopic { get; }

    public IReadOnlyList<DevicePoller> Devices { get; }

    public IEnumerable<GroupPoller> Groups => Devices.SelectMany(device => device.Groups);

    public Alarms Alarms { get; }

    /// <summary>The status message as it would be published now.</summary>
    public byte[] Status() => _status.Format(_time.GetUtcNow());

    public async ValueTask DisposeAsync()
    {
        foreach (DevicePoller device in Devices)
        {
            await device.DisposeAsync().ConfigureAwait(false);
        }
    }
}
