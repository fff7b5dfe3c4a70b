using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Drivers;

/// <summary>The drivers' log events (ids 450–469).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 450, Level = LogLevel.Warning, Message = "driver {Driver} was stopped and will be started again after a backoff: {Reason}")]
    public static partial void DriverStopped(ILogger logger, string driver, string reason);

    [LoggerMessage(EventId = 451, Level = LogLevel.Warning, Message = "driver {Driver}: its sensor root cannot be opened ({Reason}); its file reads are denied")]
    public static partial void DriverRootMissing(ILogger logger, string driver, string reason);

    [LoggerMessage(EventId = 453, Level = LogLevel.Error, Message = "the drivers do not start: {Problems}")]
    public static partial void DriversNotStarted(ILogger logger, string problems);

    [LoggerMessage(EventId = 454, Level = LogLevel.Warning, Message = "the drivers' policy mode is now {Mode}")]
    public static partial void PolicySwitched(ILogger logger, string mode);
}
