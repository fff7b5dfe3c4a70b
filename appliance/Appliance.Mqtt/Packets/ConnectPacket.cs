namespace Appliance.Mqtt.Packets;

/// <summary>
/// CONNECT, MQTT 5.0 §3.1 and 3.1.1 §3.1:
/// <code>
///   fixed header  0x10, Remaining Length
///   offset 0      00 04 'M' 'Q' 'T' 'T'        Protocol Name (§3.1.2.1)
///          6      level                        Protocol Version: 4 = 3.1.1, 5 = 5.0 (§3.1.2.2)
///          7      connect flags (§3.1.2.3)
///                   bit 7 user name | 6 password | 5 will retain | 4-3 will QoS | 2 will | 1 clean start | 0 reserved = 0
///          8      keep alive, seconds (§3.1.2.10)
///         10      properties (5.0 only, §3.1.2.11)
///   payload       client id | [will properties (5.0), will topic, will payload] | [user name] | [password]   (§3.1.3)
/// </code>
/// </summary>
internal sealed class ConnectPacket : MqttPacket
{
    private const byte UserNameFlag = 0x80;
    private const byte PasswordFlag = 0x40;
    private const byte WillRetainFlag = 0x20;
    private const byte WillQosMask = 0x18;
    private const int WillQosShift = 3;
    private const byte WillFlag = 0x04;
    private const byte CleanStartFlag = 0x02;
    private const byte ReservedFlag = 0x01;

    public override MqttPacketType Type => MqttPacketType.Connect;

    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    public string ClientId { get; init; } = string.Empty;

    public bool CleanStart { get; init; } = true;

    public ushort KeepAliveSeconds { get; init; }

    public string? UserName { get; init; }

    public byte[]? Password { get; init; }

    public MqttWill? Will { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal static ConnectPacket Read(ref PacketBodyReader body)
    {
        string protocolName = body.ReadString("protocol name");
        byte level = body.ReadByte("protocol version");
        if (protocolName != "MQTT")
        {
            MqttProtocolException.Throw(MqttReasonCode.UnsupportedProtocolVersion, $"CONNECT: protocol name \"{protocolName}\" is not \"MQTT\" (MQTT 5.0 §3.1.2.1)");
        }

        if (level is not ((byte)MqttProtocolVersion.V311) and not ((byte)MqttProtocolVersion.V500))
        {
            MqttProtocolException.Throw(MqttReasonCode.UnsupportedProtocolVersion, $"CONNECT: protocol version {level} is neither 4 (3.1.1) nor 5 (5.0) (MQTT 5.0 §3.1.2.2)");
        }

        var version = (MqttProtocolVersion)level;
        bool v5 = version == MqttProtocolVersion.V500;
        byte flags = body.ReadByte("connect flags");
        if ((flags & ReservedFlag) != 0)
        {
            MqttProtocolException.ThrowMalformed("CONNECT: the reserved connect flag (bit 0) is set (MQTT 5.0 §3.1.2.3)");
        }

        bool hasWill = (flags & WillFlag) != 0;
        byte willQos = (byte)((flags & WillQosMask) >> WillQosShift);
        bool willRetain = (flags & WillRetainFlag) != 0;
        if (willQos == 3)
        {
            MqttProtocolException.ThrowMalformed("CONNECT: will QoS 3 is not allowed (MQTT 5.0 §3.1.2.6)");
        }

        if (!hasWill && (willQos != 0 || willRetain))
        {
            MqttProtocolException.ThrowMalformed("CONNECT: will QoS or will retain is set without the will flag (MQTT 5.0 §3.1.2.6, §3.1.2.7)");
        }

        bool hasUser = (flags & UserNameFlag) != 0;
        bool hasPassword = (flags & PasswordFlag) != 0;
        if (!v5 && hasPassword && !hasUser)
        {
            MqttProtocolException.ThrowMalformed("CONNECT: a password without a user name is not allowed in 3.1.1 (3.1.1 §3.1.2.9)");
        }

        ushort keepAlive = body.ReadUInt16("keep alive");
        MqttProperties properties = v5 ? MqttPropertyCodec.Read(ref body, PropertyContext.Connect) : new MqttProperties();
        string clientId = body.ReadString("client identifier");
        MqttWill? will = null;
        if (hasWill)
        {
            MqttProperties willProperties = v5 ? MqttPropertyCodec.Read(ref body, PropertyContext.Will) : new MqttProperties();
            string willTopic = body.ReadString("will topic");
            MqttTopic.CheckName(willTopic, "CONNECT: will topic", allowEmpty: false);
            byte[] willPayload = body.ReadBinary("will payload");
            will = new MqttWill { Topic = willTopic, Payload = willPayload, Qos = willQos, Retain = willRetain, Properties = willProperties };
        }

        string? userName = hasUser ? body.ReadString("user name") : null;
        byte[]? password = hasPassword ? body.ReadBinary("password") : null;
        body.ExpectEnd();
        return new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = clientId,
            CleanStart = (flags & CleanStartFlag) != 0,
            KeepAliveSeconds = keepAlive,
            UserName = userName,
            Password = password,
            Will = will,
            Properties = properties,
        };
    }

    internal override int MeasureBody(MqttProtocolVersion version)
    {
        bool v5 = ProtocolVersion == MqttProtocolVersion.V500;
        int size = 6 + 1 + 1 + 2;
        size += v5 ? MqttPropertyCodec.Measure(Properties) : 0;
        size += PacketWriter.MeasureString(ClientId, "client identifier");
        if (Will is not null)
        {
            size += v5 ? MqttPropertyCodec.Measure(Will.Properties) : 0;
            size += PacketWriter.MeasureString(Will.Topic, "will topic");
            size += PacketWriter.MeasureBinary(Will.Payload.Length, "will payload");
        }

        size += UserName is null ? 0 : PacketWriter.MeasureString(UserName, "user name");
        size += Password is null ? 0 : PacketWriter.MeasureBinary(Password.Length, "password");
        return size;
    }

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
        bool v5 = ProtocolVersion == MqttProtocolVersion.V500;
        writer.WriteString("MQTT");
        writer.WriteByte((byte)ProtocolVersion);
        byte flags = CleanStart ? CleanStartFlag : (byte)0;
        if (Will is not null)
        {
            flags |= WillFlag;
            flags |= (byte)(Will.Qos << WillQosShift);
            flags |= Will.Retain ? WillRetainFlag : (byte)0;
        }

        flags |= UserName is null ? (byte)0 : UserNameFlag;
        flags |= Password is null ? (byte)0 : PasswordFlag;
        writer.WriteByte(flags);
        writer.WriteUInt16(KeepAliveSeconds);
        if (v5)
        {
            MqttPropertyCodec.Write(ref writer, Properties);
        }

        writer.WriteString(ClientId);
        if (Will is not null)
        {
            if (v5)
            {
                MqttPropertyCodec.Write(ref writer, Will.Properties);
            }

            writer.WriteString(Will.Topic);
            writer.WriteBinary(Will.Payload);
        }

        if (UserName is not null)
        {
            writer.WriteString(UserName);
        }

        if (Password is not null)
        {
            writer.WriteBinary(Password);
        }
    }
}
