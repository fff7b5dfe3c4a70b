using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Supervision;

/// <summary>The supervisor's log events (ids 420–439).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 420, Level = LogLevel.Error, Message = "ALARM: {Task} failed and restarts in {Delay} (restart {Restarts}): {Failure}")]
    public static partial void TaskFailed(ILogger logger, string task, string delay, long restarts, string failure);

    [LoggerMessage(EventId = 421, Level = LogLevel.Critical, Message = "{Task} hit a fault a restart cannot fix; the gateway stops: {Failure}")]
    public static partial void Unrecoverable(ILogger logger, string task, string failure);

}
