namespace Appliance.Mqtt.Packets;

/// <summary>
/// The MQTT 5.0 properties of one packet (§2.2.2). Null means absent. The reader fills it after checking
/// that each property is known, allowed in its packet, not repeated (except User Property and the
/// Subscription Identifiers of a PUBLISH) and in range.
/// </summary>
internal sealed class MqttProperties
{
    public byte? PayloadFormatIndicator { get; set; }

    public uint? MessageExpiryInterval { get; set; }

    public string? ContentType { get; set; }

    public string? ResponseTopic { get; set; }

    public byte[]? CorrelationData { get; set; }

    /// <summary>One in SUBSCRIBE; one per matching subscription in a PUBLISH from the server.</summary>
    public List<int> SubscriptionIdentifiers { get; } = [];

    public uint? SessionExpiryInterval { get; set; }

    public string? AssignedClientIdentifier { get; set; }

    public ushort? ServerKeepAlive { get; set; }

    public string? AuthenticationMethod { get; set; }

    public byte[]? AuthenticationData { get; set; }

    public byte? RequestProblemInformation { get; set; }

    public uint? WillDelayInterval { get; set; }

    public byte? RequestResponseInformation { get; set; }

    public string? ResponseInformation { get; set; }

    public string? ServerReference { get; set; }

    public string? ReasonString { get; set; }

    public ushort? ReceiveMaximum { get; set; }

    public ushort? TopicAliasMaximum { get; set; }

    public ushort? TopicAlias { get; set; }

    public byte? MaximumQos { get; set; }

    public byte? RetainAvailable { get; set; }

    public List<MqttUserProperty> UserProperties { get; } = [];

    public uint? MaximumPacketSize { get; set; }

    public byte? WildcardSubscriptionAvailable { get; set; }

    public byte? SubscriptionIdentifierAvailable { get; set; }

    public byte? SharedSubscriptionAvailable { get; set; }
}
