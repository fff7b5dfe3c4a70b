using System.Diagnostics.CodeAnalysis;

namespace Appliance.Mqtt;

/// <summary>
/// A packet broke the protocol: <see cref="MqttReasonCode.MalformedPacket"/> when it cannot be parsed,
/// <see cref="MqttReasonCode.ProtocolError"/> when it parses but is not allowed, and
/// <see cref="MqttReasonCode.PacketTooLarge"/> when its declared length exceeds the maximum.
/// The connection that carried it is closed.
/// </summary>
public sealed class MqttProtocolException : Exception
{
    public MqttProtocolException(MqttReasonCode reasonCode, string message)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    public MqttProtocolException()
        : this(MqttReasonCode.MalformedPacket, "malformed MQTT packet")
    {
    }

    public MqttProtocolException(string message)
        : this(MqttReasonCode.MalformedPacket, message)
    {
    }

    public MqttProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        ReasonCode = MqttReasonCode.MalformedPacket;
    }

    /// <summary>The MQTT 5.0 reason code that names the violation.</summary>
    public MqttReasonCode ReasonCode { get; }

    [DoesNotReturn]
    internal static void ThrowMalformed(string message) => throw new MqttProtocolException(MqttReasonCode.MalformedPacket, message);

    [DoesNotReturn]
    internal static void ThrowProtocolError(string message) => throw new MqttProtocolException(MqttReasonCode.ProtocolError, message);

    [DoesNotReturn]
    internal static void Throw(MqttReasonCode code, string message) => throw new MqttProtocolException(code, message);
}
