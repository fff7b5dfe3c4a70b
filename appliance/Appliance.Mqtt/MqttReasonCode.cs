namespace Appliance.Mqtt;

/// <summary>
/// MQTT 5.0 reason codes (§2.4), also used to classify MQTT 3.1.1 failures: 3.1.1 CONNACK return codes
/// are mapped onto their 5.0 equivalents, and a malformed packet is <see cref="MalformedPacket"/> in both.
/// </summary>
public enum MqttReasonCode : byte
{
    /// <summary>Success, normal disconnection, or granted QoS 0.</summary>
    Success = 0x00,

    /// <summary>SUBACK: granted QoS 1.</summary>
    GrantedQos1 = 0x01,

    /// <summary>SUBACK: granted QoS 2.</summary>
    GrantedQos2 = 0x02,

    /// <summary>DISCONNECT: the client asks the server to publish its will.</summary>
    DisconnectWithWillMessage = 0x04,

    /// <summary>PUBACK: accepted, but nobody subscribes to the topic.</summary>
    NoMatchingSubscribers = 0x10,

    /// <summary>UNSUBACK: no such subscription existed.</summary>
    NoSubscriptionExisted = 0x11,

    /// <summary>AUTH: continue authentication.</summary>
    ContinueAuthentication = 0x18,

    /// <summary>AUTH: re-authenticate.</summary>
    ReAuthenticate = 0x19,

    /// <summary>The server does not say why.</summary>
    UnspecifiedError = 0x80,

    /// <summary>The packet could not be parsed.</summary>
    MalformedPacket = 0x81,

    /// <summary>The packet was well formed but not allowed here.</summary>
    ProtocolError = 0x82,

    /// <summary>Valid, but not accepted by this implementation.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>CONNACK: the protocol version is not supported (3.1.1 return code 1).</summary>
    UnsupportedProtocolVersion = 0x84,

    /// <summary>CONNACK: the client identifier is not allowed (3.1.1 return code 2).</summary>
    ClientIdentifierNotValid = 0x85,

    /// <summary>CONNACK: user name or password refused (3.1.1 return code 4).</summary>
    BadUserNameOrPassword = 0x86,

    /// <summary>Not authorized: to connect (3.1.1 return code 5), or by the ACL to publish or subscribe.</summary>
    NotAuthorized = 0x87,

    /// <summary>CONNACK: the server is unavailable (3.1.1 return code 3).</summary>
    ServerUnavailable = 0x88,

    /// <summary>The server is busy.</summary>
    ServerBusy = 0x89,

    /// <summary>CONNACK: this client is banned.</summary>
    Banned = 0x8A,

    /// <summary>DISCONNECT: the server is shutting down.</summary>
    ServerShuttingDown = 0x8B,

    /// <summary>The authentication method is not supported.</summary>
    BadAuthenticationMethod = 0x8C,

    /// <summary>DISCONNECT: no packet within 1.5 times the keepalive.</summary>
    KeepAliveTimeout = 0x8D,

    /// <summary>DISCONNECT: another connection took over this client identifier.</summary>
    SessionTakenOver = 0x8E,

    /// <summary>The topic filter is not accepted.</summary>
    TopicFilterInvalid = 0x8F,

    /// <summary>The topic name is not accepted.</summary>
    TopicNameInvalid = 0x90,

    /// <summary>The packet identifier is already in use.</summary>
    PacketIdentifierInUse = 0x91,

    /// <summary>The packet identifier is not known.</summary>
    PacketIdentifierNotFound = 0x92,

    /// <summary>More QoS 1 and 2 publications in flight than the Receive Maximum.</summary>
    ReceiveMaximumExceeded = 0x93,

    /// <summary>The topic alias is not valid.</summary>
    TopicAliasInvalid = 0x94,

    /// <summary>The packet exceeds the Maximum Packet Size.</summary>
    PacketTooLarge = 0x95,

    /// <summary>DISCONNECT: the message rate is too high.</summary>
    MessageRateTooHigh = 0x96,

    /// <summary>An administrative quota is exceeded.</summary>
    QuotaExceeded = 0x97,

    /// <summary>DISCONNECT: administrative action.</summary>
    AdministrativeAction = 0x98,

    /// <summary>The payload does not match the Payload Format Indicator.</summary>
    PayloadFormatInvalid = 0x99,

    /// <summary>Retained messages are not supported.</summary>
    RetainNotSupported = 0x9A,

    /// <summary>The QoS is not supported.</summary>
    QosNotSupported = 0x9B,

    /// <summary>Use another server, temporarily.</summary>
    UseAnotherServer = 0x9C,

    /// <summary>Use another server, permanently.</summary>
    ServerMoved = 0x9D,

    /// <summary>Shared subscriptions are not supported.</summary>
    SharedSubscriptionsNotSupported = 0x9E,

    /// <summary>CONNACK: connections are coming too fast.</summary>
    ConnectionRateExceeded = 0x9F,

    /// <summary>DISCONNECT: the maximum connection time is over.</summary>
    MaximumConnectTime = 0xA0,

    /// <summary>Subscription identifiers are not supported.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,

    /// <summary>Wildcard subscriptions are not supported.</summary>
    WildcardSubscriptionsNotSupported = 0xA2,
}
