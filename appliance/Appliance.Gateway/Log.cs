using Microsoft.Extensions.Logging;

namespace Appliance.Gateway;

/// <summary>The gateway host's log events (ids 440–459).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 440, Level = LogLevel.Information, Message = "imported the sequence numbers of {Streams} groups from {File} into the spool; the file was renamed to {Renamed}")]
    public static partial void SequencesImported(ILogger logger, int streams, string file, string renamed);

    [LoggerMessage(EventId = 441, Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void SequenceFileDamaged(ILogger logger, string problem);

    [LoggerMessage(EventId = 442, Level = LogLevel.Information, Message = "data path running: {Groups} poll groups, telemetry {Destination}")]
    public static partial void Running(ILogger logger, int groups, string destination);

    [LoggerMessage(EventId = 443, Level = LogLevel.Error, Message = "the last status message could not be stored: {Reason}")]
    public static partial void LastStatusLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 452, Level = LogLevel.Critical, Message = "BREACH MODE IS ACTIVE: drivers may reach any endpoint ({Drivers} drivers)")]
    public static partial void BreachActive(ILogger logger, int drivers);
}
