using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Board;

/// <summary>The board's log events (ids 480–489).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 480, Level = LogLevel.Information, Message = "watchdog armed: {Watchdog}; kicked while the appliance is healthy")]
    public static partial void WatchdogArmed(ILogger logger, string watchdog);

    [LoggerMessage(EventId = 481, Level = LogLevel.Critical, Message = "UNHEALTHY: {Problem}; the watchdog is no longer kicked")]
    public static partial void WatchdogUnhealthy(ILogger logger, string problem);

    [LoggerMessage(EventId = 482, Level = LogLevel.Warning, Message = "healthy again: the watchdog is kicked")]
    public static partial void WatchdogHealthy(ILogger logger);

    [LoggerMessage(EventId = 483, Level = LogLevel.Error, Message = "the watchdog {Device} cannot be opened: {Reason}; running without it")]
    public static partial void WatchdogMissing(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 484, Level = LogLevel.Warning, Message = "relay {Relay} {State}: {Why}")]
    public static partial void RelayChanged(ILogger logger, string relay, string state, string why);

    [LoggerMessage(EventId = 485, Level = LogLevel.Error, Message = "the relays cannot be driven: {Reason}; running without them")]
    public static partial void RelaysMissing(ILogger logger, string reason);

    [LoggerMessage(EventId = 488, Level = LogLevel.Critical, Message = "the watchdog {Watchdog} is left armed after a fault a restart cannot fix: the machine will be reset")]
    public static partial void WatchdogLeftArmed(ILogger logger, string watchdog);

    [LoggerMessage(EventId = 486, Level = LogLevel.Warning, Message = "{Reason}; the display is retried with a backoff up to a minute")]
    public static partial void DisplayFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 487, Level = LogLevel.Information, Message = "the display answers again")]
    public static partial void DisplayBack(ILogger logger);
}
