using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Polling;

/// <summary>The data path's log events (ids 400–499).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "{Device}/{Group}: ALARM: the parser instances disagreed, no two alike; the group is published with quality bad (split votes so far: {Splits})")]
    public static partial void VoteSplit(ILogger logger, string device, string group, long splits);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "{Device}/{Group}: ALARM: message seq {Sequence} could not be stored and is lost: {Reason}")]
    public static partial void SinkFailed(ILogger logger, string device, string group, long sequence, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "{Device}/{Group}: ALARM: lane {Lanes} disagreed with the other two and was outvoted (a bug in one engine or one parser, masked by the vote; this is logged at most once a minute)")]
    public static partial void LaneDissent(ILogger logger, string device, string group, string lanes);
}
