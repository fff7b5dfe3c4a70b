using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Gateway.Polling;
using Appliance.Gateway.Telemetry;
using Appliance.Sandbox.Parsing;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway;

/// <summary>
/// The gateway's main job, composed from its configuration: for every device a poller (transport and one
/// parser triplet per group), one sequence file, one telemetry sink, and the retained status message with
/// health and voter statistics, published at start and then every <see cref="StatusInterval"/>.
/// </summary>
public sealed class DataPath : IAsyncDisposable
{
    private readonly ApplianceConfig _config;
    private readonly ITelemetrySink _sink;
    private readonly TimeProvider _time;
    private readonly StatusJson _status;

    /// <exception cref="ParserConfigurationException">The parser guest refused a group's tag map.</exception>
    public DataPath(ApplianceConfig config, byte[] parserGuest, ITelemetrySink sink, SequenceFile sequences, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _sink = sink;
        _time = time;
        Alarms = new Alarms(time);
        ParserModule parser = ParserModule.Compile(parserGuest, SandboxOptionsMapping.Limits(config.Tmr));
        Devices = [.. config.Devices.Select(device => new DevicePoller(device, parser, config.Tmr, config.Telemetry, config.Node, sequences, sink, Alarms, time, logger))];
        _status = new StatusJson(config.Node, Devices, Alarms);
    }

    /// <summary>The retained topic of the gateway's status message: the MQTT status topic + "/gateway".</summary>
    public string StatusTopic => _config.Mqtt.StatusTopic + "/gateway";

    /// <summary>How often the retained status message is refreshed.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<DevicePoller> Devices { get; }

    public Alarms Alarms { get; }

    /// <summary>The status message as it would be published now.</summary>
    public byte[] Status() => _status.Format(_time.GetUtcNow());

    /// <summary>Polls every device and refreshes the status until cancelled; then publishes a last status.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Task polling = Task.WhenAll(Devices.Select(device => device.RunAsync(_time, cancellationToken)));
        Task status = PublishStatusAsync(cancellationToken);
        try
        {
            await Task.WhenAll(polling, status).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }

        await _sink.PublishAsync(StatusTopic, Status(), retain: true, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task PublishStatusAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(StatusInterval, _time);
        do
        {
            await _sink.PublishAsync(StatusTopic, Status(), retain: true, cancellationToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (DevicePoller device in Devices)
        {
            await device.DisposeAsync().ConfigureAwait(false);
        }
    }
}
