namespace Appliance.Config.Binding;

/// <summary>The <c>[[device]]</c>, <c>[[device.group]]</c> and <c>[[device.group.tag]]</c> sections.</summary>
internal static partial class ConfigBinder
{
    /// <summary>Most registers one read may ask for (Modbus Application Protocol v1.1b3 §6.3, §6.4).</summary>
    private const int MaxRegistersPerRead = 125;

    /// <summary>The most tags one group may have: the parser guests refuse larger maps (wit/modbus-parser.wit, too-many-tags).</summary>
    public const int MaxTagsPerGroup = 2048;

    private static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(10);

    private static List<ModbusDeviceConfig> BindDevices(IReadOnlyList<SectionReader> sections)
    {
        var devices = new List<ModbusDeviceConfig>(sections.Count);
        var names = new List<(SectionReader, string)>();
        foreach (SectionReader section in sections)
        {
            ModbusDeviceConfig device = BindDevice(section);
            devices.Add(device);
            names.Add((section, device.Name));
        }

        CheckUnique(names, "device");
        return devices;
    }

    private static ModbusDeviceConfig BindDevice(SectionReader section)
    {
        string name = section.RequiredString("name", "\"plc-1\"");
        if (section.Has("name"))
        {
            CheckName(section, "name", name);
        }

        string host = section.RequiredString("host", "\"…\" with the PLC's IP address or host name");
        if (section.Has("host") && !HostName.IsValid(host))
        {
            section.Error("host", $"{section.Name("host")} \"{host}\" is not an IPv4 address, IPv6 address or host name");
        }

        int port = (int)section.Integer("port", 502, 1, 65_535);
        byte unitId = (byte)section.Integer("unit_id", 1, 0, 255);
        int addressBase = (int)section.Integer("address_base", 0, 0, 1);
        TimeSpan connectTimeout = section.Duration("connect_timeout", TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        TimeSpan requestTimeout = section.Duration("request_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        int retries = (int)section.Integer("retries", 0, 0, 10);
        TimeSpan backoffInitial = section.Duration("backoff_initial", TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        TimeSpan backoffMax = section.Duration("backoff_max", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        if (backoffMax < backoffInitial)
        {
            section.Error("backoff_max", $"{section.Name("backoff_max")} \"{DurationText.Format(backoffMax)}\" must not be shorter than backoff_initial \"{DurationText.Format(backoffInitial)}\"");
        }

        double jitter = section.Float("backoff_jitter", 0.2, 0.0, 1.0);
        int maxGap = (int)section.Integer("max_gap", 16, 0, MaxRegistersPerRead - 2);

        var groups = new List<PollGroupConfig>();
        var groupNames = new List<(SectionReader, string)>();
        foreach (SectionReader groupSection in section.Tables("group"))
        {
            PollGroupConfig group = BindGroup(groupSection, addressBase);
            groups.Add(group);
            groupNames.Add((groupSection, group.Name));
        }

        CheckUnique(groupNames, "group");
        section.Finish();
        return new ModbusDeviceConfig(name, host, port, unitId, addressBase, connectTimeout, requestTimeout, retries,
            new BackoffConfig(backoffInitial, backoffMax, jitter), maxGap, groups);
    }

    private static PollGroupConfig BindGroup(SectionReader section, int addressBase)
    {
        string name = section.RequiredString("name", "\"process\"");
        if (section.Has("name"))
        {
            CheckName(section, "name", name);
        }

        TimeSpan interval = section.Duration("interval", TimeSpan.FromSeconds(1), MinPollInterval, TimeSpan.FromDays(1));
        RegisterArea area = section.Choice("registers", RegisterArea.Holding, ("holding", RegisterArea.Holding), ("input", RegisterArea.Input));

        var tags = new List<TagConfig>();
        var tagNames = new List<(SectionReader, string)>();
        foreach (SectionReader tagSection in section.Tables("tag"))
        {
            TagConfig tag = BindTag(tagSection, addressBase);
            tags.Add(tag);
            tagNames.Add((tagSection, tag.Name));
        }

        if (tags.Count == 0)
        {
            section.Error("name", $"group \"{name}\" has no tags; add at least one [[device.group.tag]] section after it");
        }

        if (tags.Count > MaxTagsPerGroup)
        {
            SectionReader first = tagNames[MaxTagsPerGroup].Item1;
            first.Errors.Add(first.Position, $"group \"{name}\" has {tags.Count} tags; a group holds at most {MaxTagsPerGroup} (what the sandboxed parser accepts), and this is tag {MaxTagsPerGroup + 1}: move it and those after it into another [[device.group]]");
        }

        CheckUnique(tagNames, "tag");
        section.Finish();
        return new PollGroupConfig(name, interval, area, tags);
    }

    private static TagConfig BindTag(SectionReader section, int addressBase)
    {
        string name = section.RequiredString("name", "\"temperature\"");
        if (section.Has("name"))
        {
            CheckName(section, "name", name);
        }

        if (!section.Has("address"))
        {
            section.Errors.Add(section.Position, $"{section.Name("address")} is missing for tag \"{name}\"; add address = <first register>");
        }

        int written = (int)section.Integer("address", addressBase, addressBase, 65_535 + addressBase);
        int address = written - addressBase;
        TagType type = section.Choice(
            "type",
            TagType.UInt16,
            ("bit", TagType.Bit),
            ("int16", TagType.Int16),
            ("uint16", TagType.UInt16),
            ("int32", TagType.Int32),
            ("uint32", TagType.UInt32),
            ("int64", TagType.Int64),
            ("uint64", TagType.UInt64),
            ("float32", TagType.Float32),
            ("float64", TagType.Float64),
            ("string", TagType.String));

        ByteOrder order = BindOrder(section, type);
        int bit = 0;
        if (type == TagType.Bit)
        {
            bit = (int)section.Integer("bit", 0, 0, 15);
        }
        else if (section.Has("bit"))
        {
            section.Error("bit", $"{section.Name("bit")} applies only to type = \"bit\"; remove it or change the type");
        }

        int length = 1;
        if (type == TagType.String)
        {
            length = (int)section.Integer("length", 1, 1, MaxRegistersPerRead);
        }
        else if (section.Has("length"))
        {
            section.Error("length", $"{section.Name("length")} applies only to type = \"string\"; remove it or change the type");
        }

        bool numeric = type is not (TagType.Bit or TagType.String);
        double scale = 1.0;
        double offset = 0.0;
        if (numeric)
        {
            scale = section.Float("scale", 1.0, -1e300, 1e300);
            offset = section.Float("offset", 0.0, -1e300, 1e300);
        }
        else
        {
            foreach (string key in (ReadOnlySpan<string>)["scale", "offset"])
            {
                if (section.Has(key))
                {
                    section.Error(key, $"{section.Name(key)} applies only to numeric types; remove it for type = \"{type.ToString().ToLowerInvariant()}\"");
                }
            }
        }

        string unit = section.String("unit", string.Empty);
        var tag = new TagConfig(name, address, type, order, bit, length, scale, offset, unit);
        if (address + tag.RegisterCount > 65_536)
        {
            section.Error("address", $"tag \"{name}\" needs {tag.RegisterCount} registers from address {written}, past the last register {65_535 + addressBase}");
        }

        section.Finish();
        return tag;
    }

    /// <summary>
    /// Byte order of a value, A being its most significant byte as the PLC means it, bound once, here, for the
    /// tag's size. 16-bit values: AB or BA. 32-bit: ABCD (big-endian, the Modbus default), CDAB (word swap),
    /// BADC (byte swap), DCBA. 64-bit: ABCDEFGH, GHEFCDAB, BADCFEHG, HGFEDCBA. Strings: AB (first character
    /// in the high byte) or BA. A bit has none (big-endian, unused).
    /// </summary>
    private static ByteOrder BindOrder(SectionReader section, TagType type)
    {
        (string Word, ByteOrder Value)[] orders = type switch
        {
            TagType.Bit => [],
            TagType.Int32 or TagType.UInt32 or TagType.Float32 =>
                [("ABCD", ByteOrder.BigEndian), ("CDAB", ByteOrder.WordSwapped), ("BADC", ByteOrder.ByteSwapped), ("DCBA", ByteOrder.LittleEndian)],
            TagType.Int64 or TagType.UInt64 or TagType.Float64 =>
                [("ABCDEFGH", ByteOrder.BigEndian), ("GHEFCDAB", ByteOrder.WordSwapped), ("BADCFEHG", ByteOrder.ByteSwapped), ("HGFEDCBA", ByteOrder.LittleEndian)],
            _ => [("AB", ByteOrder.BigEndian), ("BA", ByteOrder.ByteSwapped)],
        };

        if (orders.Length == 0)
        {
            if (section.Has("order"))
            {
                section.Error("order", $"{section.Name("order")} does not apply to type = \"bit\"; remove it");
            }

            return ByteOrder.BigEndian;
        }

        return section.Choice("order", ByteOrder.BigEndian, orders);
    }
}
