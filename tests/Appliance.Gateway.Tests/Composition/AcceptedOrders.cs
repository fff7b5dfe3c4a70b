using Appliance.Config;

namespace Appliance.Gateway.Tests.Composition;

/// <summary>Test rows: every byte order word the configuration accepts, each with every type of its size.</summary>
internal static class AcceptedOrders
{
    public static TheoryData<string, string> All()
    {
        var rows = new TheoryData<string, string>();
        foreach (string type in (string[])["int16", "uint16", "string"])
        {
            foreach (string order in (string[])["AB", "BA"])
            {
                rows.Add(type, order);
            }
        }

        foreach (string type in (string[])["int32", "uint32", "float32"])
        {
            foreach (string order in (string[])["ABCD", "CDAB", "BADC", "DCBA"])
            {
                rows.Add(type, order);
            }
        }

        foreach (string type in (string[])["int64", "uint64", "float64"])
        {
            foreach (string order in (string[])["ABCDEFGH", "GHEFCDAB", "BADCFEHG", "HGFEDCBA"])
            {
                rows.Add(type, order);
            }
        }

        return rows;
    }

    /// <summary>The one tag of a file with one group: at address 0, of <paramref name="type"/> in <paramref name="order"/> (a string spans 3 registers).</summary>
    public static TagConfig OneTag(string type, string order) =>
        Configs.Parse($"""
            [[device]]
            name = "plc"
            host = "127.0.0.1"
            [[device.group]]
            name = "g"
            [[device.group.tag]]
            name = "t"
            address = 0
            type = "{type}"
            order = "{order}"
            {(type == "string" ? "length = 3" : string.Empty)}
            """).Devices[0].Groups[0].Tags[0];
}
