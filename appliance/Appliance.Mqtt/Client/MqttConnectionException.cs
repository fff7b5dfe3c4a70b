namespace Appliance.Mqtt.Client;

/// <summary>A connection ended for a reason already put into words and categories: carries the <see cref="MqttError"/> the status will show.</summary>
internal sealed class MqttConnectionException : Exception
{
    public MqttConnectionException(MqttError error)
        : base(error.Message)
    {
        Error = error;
    }

    public MqttConnectionException()
        : this(new MqttError(MqttErrorKind.ConnectionLost, "connection lost", null, DateTimeOffset.UnixEpoch))
    {
    }

    public MqttConnectionException(string message)
        : this(new MqttError(MqttErrorKind.ConnectionLost, message, null, DateTimeOffset.UnixEpoch))
    {
    }

    public MqttConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new MqttError(MqttErrorKind.ConnectionLost, message, null, DateTimeOffset.UnixEpoch);
    }

    public MqttError Error { get; }
}
