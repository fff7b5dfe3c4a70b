using Microsoft.Extensions.Logging;

namespace Appliance.Daemon;

/// <summary>The daemon's log messages, source-generated, with fixed event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Version} starting with {File}")]
    public static partial void Starting(ILogger logger, string version, string file);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "node \"{Node}\": {Devices}, {Groups}, {Tags}; broker {Broker}; parser mode {Mode}")]
    public static partial void ConfigLoaded(ILogger logger, string node, string devices, string groups, string tags, string broker, string mode);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "telemetry goes to standard output, one line per message (TOPIC JSON)")]
    public static partial void TelemetryToConsole(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Signal} received; shutting down")]
    public static partial void Stopping(ILogger logger, string signal);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "stopped cleanly")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 9, Level = LogLevel.Critical, Message = "stopped: {Reason}; the spool was closed cleanly")]
    public static partial void StoppedOnFault(ILogger logger, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "a new configuration was refused at import ({Errors}, the first: {First}); the last good one runs")]
    public static partial void ConfigRefused(ILogger logger, string errors, string first);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "SIGHUP: the policy mode was not changed: {Reason}")]
    public static partial void ReloadIgnored(ILogger logger, string reason);
}
