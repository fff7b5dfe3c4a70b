using Microsoft.Extensions.Logging;

namespace Appliance.Drivers.Hosting;

internal static partial class Log
{
    [LoggerMessage(EventId = 600, Message = "driver {Driver}: {Text}")]
    public static partial void DriverSaid(ILogger logger, LogLevel level, string driver, string text);
}
