using Microsoft.Extensions.Logging;

namespace Appliance.Mqtt;

/// <summary>The MQTT client's log messages, source-generated, with fixed event ids. Passwords are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "connecting to {Broker} as \"{ClientId}\" (attempt {Attempt})")]
    public static partial void Connecting(ILogger logger, string broker, string clientId, long attempt);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "connected to {Broker} with MQTT {Version}: {Window} in flight at most, keep-alive {KeepAlive}")]
    public static partial void Connected(ILogger logger, string broker, string version, int window, TimeSpan keepAlive);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "connection to {Broker} failed or dropped: {Error}; next attempt in {Delay}")]
    public static partial void ConnectionFailed(ILogger logger, string broker, MqttError error, TimeSpan delay);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "{Broker} refuses the gateway and a retry will not change that: {Error}. Next attempt in {Delay}, not sooner, so the broker is not flooded")]
    public static partial void NeedsAttention(ILogger logger, string broker, MqttError error, TimeSpan delay);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "the broker refused a publication to \"{Topic}\": reason 0x{ReasonCode:X2} {Reason}")]
    public static partial void PublishRefused(ILogger logger, string topic, byte reasonCode, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "PINGREQ sent; PINGRESP expected within {Timeout}")]
    public static partial void PingSent(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "stopped; {Undelivered} publications were not delivered")]
    public static partial void Stopped(ILogger logger, int undelivered);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "unexpected failure in the MQTT connection; treated as a lost connection")]
    public static partial void Unexpected(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "the handler of messages on \"{Topic}\" failed; the message is acknowledged anyway")]
    public static partial void HandlerFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "the broker refused the subscription to \"{Filter}\": reason 0x{ReasonCode:X2}")]
    public static partial void SubscriptionRefused(ILogger logger, string filter, byte reasonCode);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "the spool counters for the health message could not be read; the client's own queue is reported instead")]
    public static partial void SpoolCountersFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "the details of the health message could not be written; it is published without them")]
    public static partial void HealthDetailsFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "{Count} unacknowledged QoS 1 publications will be re-sent with DUP after reconnecting")]
    public static partial void Requeued(ILogger logger, int count);
}
