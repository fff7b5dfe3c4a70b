using Appliance.Gateway.Supervision;
using Appliance.Mqtt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Gateway;

/// <summary>What the <see cref="GatewayHost"/> needs besides the configuration.</summary>
public sealed class GatewayHostOptions
{
    /// <summary>The parser guests by name (<c>modbus-parser</c>, <c>modbus-parser-c</c>): the lanes of <c>[tmr] lanes</c> run them.</summary>
    public required IReadOnlyDictionary<string, byte[]> ParserGuests { get; init; }

    /// <summary>The driver guests the executable carries, by name (<c>[[driver]] module</c> names them); none by default.</summary>
    public IReadOnlyDictionary<string, byte[]> DriverGuests { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Whether to open the control channel of <c>[control] socket</c> (the daemon does; the demo does not).</summary>
    public bool ControlChannel { get; init; }

    /// <summary>The GPIO driver of a chip number, for the relays; by default the character-device driver (libgpiod).</summary>
    public Func<int, System.Device.Gpio.GpioDriver>? GpioDriverOf { get; init; }

    /// <summary>Opens an I2C device, for the BME280 and the display; by default the kernel's /dev/i2c-N.</summary>
    public Func<System.Device.I2c.I2cConnectionSettings, System.Device.I2c.I2cDevice>? I2cDeviceOf { get; init; }

    /// <summary>
    /// The errors of a configuration file that was refused at import (the last good one runs): in the status message
    /// (<c>config_refused</c>, which the console shows) and on the display's first page until a good file is imported.
    /// Not an alarm: the plant is fine, and the beacon stays off.
    /// </summary>
    public IReadOnlyList<string> ConfigRefused { get; init; } = [];

    /// <summary>
    /// systemd-timesyncd's runtime folder, from which the status says whether the clock is set by NTP
    /// (<c>clock_synchronized</c>: true, false, or null where timesyncd does not run).
    /// </summary>
    public string TimesyncdRuntime { get; init; } = Appliance.Board.Clock.ClockSync.TimesyncdRuntime;

    /// <summary>When set, telemetry is written here, one line per message, instead of the spool and the broker.</summary>
    public TextWriter? ConsoleOutput { get; init; }

    /// <summary>Called for every message the MQTT client receives on a subscription (the demo's dashboard).</summary>
    public Func<MqttReceivedMessage, ValueTask>? MessageReceived { get; init; }

    /// <summary>How often the retained status message is refreshed; an alarm refreshes it at once.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How restarts of failed tasks are paced.</summary>
    public SupervisorOptions Supervision { get; init; } = new();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
