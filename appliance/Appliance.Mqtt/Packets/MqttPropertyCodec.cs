namespace Appliance.Mqtt.Packets;

/// <summary>
/// Reads and writes MQTT 5.0 property lists (§2.2.2):
/// <code>
///   +-----------------------------+------------------------------------------------+
///   | Property Length (VBI, §1.5.5) | Property: identifier (VBI) + value, repeated   |
///   +-----------------------------+------------------------------------------------+
/// </code>
/// Each identifier must be known, allowed in the packet it appears in (Table 2-4), and appear once,
/// except User Property and, in a PUBLISH, Subscription Identifier.
/// </summary>
internal static class MqttPropertyCodec
{
    public static MqttProperties Read(ref PacketBodyReader body, PropertyContext context)
    {
        int length = body.ReadVariableByteInteger("property length");
        if (length == 0)
        {
            return new MqttProperties();
        }

        PacketBodyReader list = body.ReadSection(length, "property length");
        var properties = new MqttProperties();
        ulong seen = 0;
        string where = PacketBodyReader.Describe(list.Type);
        while (!list.End)
        {
            int raw = list.ReadVariableByteInteger("property identifier");
            if (raw is <= 0 or > 0x2A || Allowed((MqttPropertyId)raw) == PropertyContext.None)
            {
                MqttProtocolException.ThrowMalformed($"{where}: unknown property identifier 0x{raw:X2} (MQTT 5.0 §2.2.2.2)");
            }

            var id = (MqttPropertyId)raw;
            if ((Allowed(id) & context) == 0)
            {
                MqttProtocolException.ThrowMalformed($"{where}: property {id} (0x{raw:X2}) is not allowed in {context} properties (MQTT 5.0 §2.2.2.2)");
            }

            bool repeatable = id == MqttPropertyId.UserProperty || (id == MqttPropertyId.SubscriptionIdentifier && context == PropertyContext.Publish);
            ulong bit = 1UL << raw;
            if ((seen & bit) != 0 && !repeatable)
            {
                MqttProtocolException.ThrowProtocolError($"{where}: property {id} (0x{raw:X2}) appears more than once (MQTT 5.0 §2.2.2.2)");
            }

            seen |= bit;
            ReadValue(ref list, id, properties, where);
        }

        return properties;
    }

    /// <summary>Bytes of the properties themselves, without the Property Length in front.</summary>
    public static int MeasureContent(MqttProperties p)
    {
        int size = 0;
        size += p.PayloadFormatIndicator is null ? 0 : 2;
        size += p.MessageExpiryInterval is null ? 0 : 5;
        size += p.ContentType is null ? 0 : 1 + PacketWriter.MeasureString(p.ContentType, "content type");
        size += p.ResponseTopic is null ? 0 : 1 + PacketWriter.MeasureString(p.ResponseTopic, "response topic");
        size += p.CorrelationData is null ? 0 : 1 + PacketWriter.MeasureBinary(p.CorrelationData.Length, "correlation data");
        foreach (int subscriptionId in p.SubscriptionIdentifiers)
        {
            size += 1 + PacketWriter.MeasureVariableByteInteger(subscriptionId);
        }

        size += p.SessionExpiryInterval is null ? 0 : 5;
        size += p.AssignedClientIdentifier is null ? 0 : 1 + PacketWriter.MeasureString(p.AssignedClientIdentifier, "assigned client identifier");
        size += p.ServerKeepAlive is null ? 0 : 3;
        size += p.AuthenticationMethod is null ? 0 : 1 + PacketWriter.MeasureString(p.AuthenticationMethod, "authentication method");
        size += p.AuthenticationData is null ? 0 : 1 + PacketWriter.MeasureBinary(p.AuthenticationData.Length, "authentication data");
        size += p.RequestProblemInformation is null ? 0 : 2;
        size += p.WillDelayInterval is null ? 0 : 5;
        size += p.RequestResponseInformation is null ? 0 : 2;
        size += p.ResponseInformation is null ? 0 : 1 + PacketWriter.MeasureString(p.ResponseInformation, "response information");
        size += p.ServerReference is null ? 0 : 1 + PacketWriter.MeasureString(p.ServerReference, "server reference");
        size += p.ReasonString is null ? 0 : 1 + PacketWriter.MeasureString(p.ReasonString, "reason string");
        size += p.ReceiveMaximum is null ? 0 : 3;
        size += p.TopicAliasMaximum is null ? 0 : 3;
        size += p.TopicAlias is null ? 0 : 3;
        size += p.MaximumQos is null ? 0 : 2;
        size += p.RetainAvailable is null ? 0 : 2;
        foreach (MqttUserProperty user in p.UserProperties)
        {
            size += 1 + PacketWriter.MeasureString(user.Name, "user property name") + PacketWriter.MeasureString(user.Value, "user property value");
        }

        size += p.MaximumPacketSize is null ? 0 : 5;
        size += p.WildcardSubscriptionAvailable is null ? 0 : 2;
        size += p.SubscriptionIdentifierAvailable is null ? 0 : 2;
        size += p.SharedSubscriptionAvailable is null ? 0 : 2;
        return size;
    }

    /// <summary>Bytes of the whole property list: Property Length and properties.</summary>
    public static int Measure(MqttProperties p)
    {
        int content = MeasureContent(p);
        return PacketWriter.MeasureVariableByteInteger(content) + content;
    }

    /// <summary>Writes the Property Length and the properties, in identifier order.</summary>
    public static void Write(ref PacketWriter w, MqttProperties p)
    {
        w.WriteVariableByteInteger(MeasureContent(p));
        WriteByteProperty(ref w, MqttPropertyId.PayloadFormatIndicator, p.PayloadFormatIndicator);
        WriteUInt32Property(ref w, MqttPropertyId.MessageExpiryInterval, p.MessageExpiryInterval);
        WriteStringProperty(ref w, MqttPropertyId.ContentType, p.ContentType);
        WriteStringProperty(ref w, MqttPropertyId.ResponseTopic, p.ResponseTopic);
        WriteBinaryProperty(ref w, MqttPropertyId.CorrelationData, p.CorrelationData);
        foreach (int subscriptionId in p.SubscriptionIdentifiers)
        {
            w.WriteByte((byte)MqttPropertyId.SubscriptionIdentifier);
            w.WriteVariableByteInteger(subscriptionId);
        }

        WriteUInt32Property(ref w, MqttPropertyId.SessionExpiryInterval, p.SessionExpiryInterval);
        WriteStringProperty(ref w, MqttPropertyId.AssignedClientIdentifier, p.AssignedClientIdentifier);
        WriteUInt16Property(ref w, MqttPropertyId.ServerKeepAlive, p.ServerKeepAlive);
        WriteStringProperty(ref w, MqttPropertyId.AuthenticationMethod, p.AuthenticationMethod);
        WriteBinaryProperty(ref w, MqttPropertyId.AuthenticationData, p.AuthenticationData);
        WriteByteProperty(ref w, MqttPropertyId.RequestProblemInformation, p.RequestProblemInformation);
        WriteUInt32Property(ref w, MqttPropertyId.WillDelayInterval, p.WillDelayInterval);
        WriteByteProperty(ref w, MqttPropertyId.RequestResponseInformation, p.RequestResponseInformation);
        WriteStringProperty(ref w, MqttPropertyId.ResponseInformation, p.ResponseInformation);
        WriteStringProperty(ref w, MqttPropertyId.ServerReference, p.ServerReference);
        WriteStringProperty(ref w, MqttPropertyId.ReasonString, p.ReasonString);
        WriteUInt16Property(ref w, MqttPropertyId.ReceiveMaximum, p.ReceiveMaximum);
        WriteUInt16Property(ref w, MqttPropertyId.TopicAliasMaximum, p.TopicAliasMaximum);
        WriteUInt16Property(ref w, MqttPropertyId.TopicAlias, p.TopicAlias);
        WriteByteProperty(ref w, MqttPropertyId.MaximumQos, p.MaximumQos);
        WriteByteProperty(ref w, MqttPropertyId.RetainAvailable, p.RetainAvailable);
        foreach (MqttUserProperty user in p.UserProperties)
        {
            w.WriteByte((byte)MqttPropertyId.UserProperty);
            w.WriteString(user.Name);
            w.WriteString(user.Value);
        }

        WriteUInt32Property(ref w, MqttPropertyId.MaximumPacketSize, p.MaximumPacketSize);
        WriteByteProperty(ref w, MqttPropertyId.WildcardSubscriptionAvailable, p.WildcardSubscriptionAvailable);
        WriteByteProperty(ref w, MqttPropertyId.SubscriptionIdentifierAvailable, p.SubscriptionIdentifierAvailable);
        WriteByteProperty(ref w, MqttPropertyId.SharedSubscriptionAvailable, p.SharedSubscriptionAvailable);
    }

    /// <summary>The packets a property may appear in: MQTT 5.0 §2.2.2.2, Table 2-4.</summary>
    internal static PropertyContext Allowed(MqttPropertyId id) => id switch
    {
        MqttPropertyId.PayloadFormatIndicator or MqttPropertyId.MessageExpiryInterval or MqttPropertyId.ContentType
            or MqttPropertyId.ResponseTopic or MqttPropertyId.CorrelationData => PropertyContext.Publish | PropertyContext.Will,
        MqttPropertyId.SubscriptionIdentifier => PropertyContext.Publish | PropertyContext.Subscribe,
        MqttPropertyId.SessionExpiryInterval => PropertyContext.Connect | PropertyContext.ConnAck | PropertyContext.Disconnect,
        MqttPropertyId.AssignedClientIdentifier or MqttPropertyId.ServerKeepAlive or MqttPropertyId.ResponseInformation
            or MqttPropertyId.MaximumQos or MqttPropertyId.RetainAvailable or MqttPropertyId.WildcardSubscriptionAvailable
            or MqttPropertyId.SubscriptionIdentifierAvailable or MqttPropertyId.SharedSubscriptionAvailable => PropertyContext.ConnAck,
        MqttPropertyId.AuthenticationMethod or MqttPropertyId.AuthenticationData => PropertyContext.Connect | PropertyContext.ConnAck | PropertyContext.Auth,
        MqttPropertyId.RequestProblemInformation or MqttPropertyId.RequestResponseInformation => PropertyContext.Connect,
        MqttPropertyId.WillDelayInterval => PropertyContext.Will,
        MqttPropertyId.ServerReference => PropertyContext.ConnAck | PropertyContext.Disconnect,
        MqttPropertyId.ReasonString => PropertyContext.ConnAck | PropertyContext.PublishResponse | PropertyContext.SubAck
            | PropertyContext.UnsubAck | PropertyContext.Disconnect | PropertyContext.Auth,
        MqttPropertyId.ReceiveMaximum or MqttPropertyId.TopicAliasMaximum or MqttPropertyId.MaximumPacketSize => PropertyContext.Connect | PropertyContext.ConnAck,
        MqttPropertyId.TopicAlias => PropertyContext.Publish,
        MqttPropertyId.UserProperty => PropertyContext.All,
        _ => PropertyContext.None,
    };

    private static void ReadValue(ref PacketBodyReader list, MqttPropertyId id, MqttProperties p, string where)
    {
        string name = id.ToString();
        switch (id)
        {
            case MqttPropertyId.PayloadFormatIndicator:
                p.PayloadFormatIndicator = ReadFlag(ref list, name, where);
                break;
            case MqttPropertyId.MessageExpiryInterval:
                p.MessageExpiryInterval = list.ReadUInt32(name);
                break;
            case MqttPropertyId.ContentType:
                p.ContentType = list.ReadString(name);
                break;
            case MqttPropertyId.ResponseTopic:
                p.ResponseTopic = list.ReadString(name);
                break;
            case MqttPropertyId.CorrelationData:
                p.CorrelationData = list.ReadBinary(name);
                break;
            case MqttPropertyId.SubscriptionIdentifier:
                int subscriptionId = list.ReadVariableByteInteger(name);
                if (subscriptionId == 0)
                {
                    MqttProtocolException.ThrowProtocolError($"{where}: Subscription Identifier 0 is not allowed (MQTT 5.0 §3.8.2.1.2)");
                }

                p.SubscriptionIdentifiers.Add(subscriptionId);
                break;
            case MqttPropertyId.SessionExpiryInterval:
                p.SessionExpiryInterval = list.ReadUInt32(name);
                break;
            case MqttPropertyId.AssignedClientIdentifier:
                p.AssignedClientIdentifier = list.ReadString(name);
                break;
            case MqttPropertyId.ServerKeepAlive:
                p.ServerKeepAlive = list.ReadUInt16(name);
                break;
            case MqttPropertyId.AuthenticationMethod:
                p.AuthenticationMethod = list.ReadString(name);
                break;
            case MqttPropertyId.AuthenticationData:
                p.AuthenticationData = list.ReadBinary(name);
                break;
            case MqttPropertyId.RequestProblemInformation:
                p.RequestProblemInformation = ReadFlag(ref list, name, where);
                break;
            case MqttPropertyId.WillDelayInterval:
                p.WillDelayInterval = list.ReadUInt32(name);
                break;
            case MqttPropertyId.RequestResponseInformation:
                p.RequestResponseInformation = ReadFlag(ref list, name, where);
                break;
            case MqttPropertyId.ResponseInformation:
                p.ResponseInformation = list.ReadString(name);
                break;
            case MqttPropertyId.ServerReference:
                p.ServerReference = list.ReadString(name);
                break;
            case MqttPropertyId.ReasonString:
                p.ReasonString = list.ReadString(name);
                break;
            case MqttPropertyId.ReceiveMaximum:
                p.ReceiveMaximum = ReadNonZeroUInt16(ref list, name, where);
                break;
            case MqttPropertyId.TopicAliasMaximum:
                p.TopicAliasMaximum = list.ReadUInt16(name);
                break;
            case MqttPropertyId.TopicAlias:
                p.TopicAlias = ReadNonZeroUInt16(ref list, name, where);
                break;
            case MqttPropertyId.MaximumQos:
                p.MaximumQos = ReadFlag(ref list, name, where);
                break;
            case MqttPropertyId.RetainAvailable:
                p.RetainAvailable = ReadFlag(ref list, name, where);
                break;
            case MqttPropertyId.UserProperty:
                string key = list.ReadString("User Property name");
                string value = list.ReadString("User Property value");
                p.UserProperties.Add(new MqttUserProperty(key, value));
                break;
            case MqttPropertyId.MaximumPacketSize:
                uint maximum = list.ReadUInt32(name);
                if (maximum == 0)
                {
                    MqttProtocolException.ThrowProtocolError($"{where}: Maximum Packet Size 0 is not allowed (MQTT 5.0 §3.2.2.3.6)");
                }

                p.MaximumPacketSize = maximum;
                break;
            case MqttPropertyId.WildcardSubscriptionAvailable:
                p.WildcardSubscriptionAvailable = ReadFlag(ref list, name, where);
                break;
            case MqttPropertyId.SubscriptionIdentifierAvailable:
                p.SubscriptionIdentifierAvailable = ReadFlag(ref list, name, where);
                break;
            case MqttPropertyId.SharedSubscriptionAvailable:
                p.SharedSubscriptionAvailable = ReadFlag(ref list, name, where);
                break;
            default:
                MqttProtocolException.ThrowMalformed($"{where}: unknown property {id}");
                break;
        }
    }

    /// <summary>The byte properties that are booleans (or, for Maximum QoS, 0 or 1): any other value is a protocol error.</summary>
    private static byte ReadFlag(ref PacketBodyReader list, string name, string where)
    {
        byte value = list.ReadByte(name);
        if (value > 1)
        {
            MqttProtocolException.ThrowProtocolError($"{where}: {name} is {value}; it must be 0 or 1 (MQTT 5.0 §2.2.2.2)");
        }

        return value;
    }

    private static ushort ReadNonZeroUInt16(ref PacketBodyReader list, string name, string where)
    {
        ushort value = list.ReadUInt16(name);
        if (value == 0)
        {
            MqttProtocolException.ThrowProtocolError($"{where}: {name} 0 is not allowed (MQTT 5.0 §2.2.2.2)");
        }

        return value;
    }

    private static void WriteByteProperty(ref PacketWriter w, MqttPropertyId id, byte? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteByte(v);
        }
    }

    private static void WriteUInt16Property(ref PacketWriter w, MqttPropertyId id, ushort? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt16(v);
        }
    }

    private static void WriteUInt32Property(ref PacketWriter w, MqttPropertyId id, uint? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt32(v);
        }
    }

    private static void WriteStringProperty(ref PacketWriter w, MqttPropertyId id, string? value)
    {
        if (value is not null)
        {
            w.WriteByte((byte)id);
            w.WriteString(value);
        }
    }

    private static void WriteBinaryProperty(ref PacketWriter w, MqttPropertyId id, byte[]? value)
    {
        if (value is not null)
        {
            w.WriteByte((byte)id);
            w.WriteBinary(value);
        }
    }
}
