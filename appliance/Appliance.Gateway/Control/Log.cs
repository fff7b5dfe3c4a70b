using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Control;

/// <summary>The control channel's log events (ids 470–479).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 470, Level = LogLevel.Information, Message = "control channel listening on {Path}")]
    public static partial void ControlListening(ILogger logger, string path);

    [LoggerMessage(EventId = 471, Level = LogLevel.Warning, Message = "alarms silenced by control client {Client} (one was active: {WasActive})")]
    public static partial void AlarmsSilenced(ILogger logger, string client, bool wasActive);
}
