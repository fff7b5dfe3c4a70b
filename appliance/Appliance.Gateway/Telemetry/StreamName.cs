namespace Appliance.Gateway.Telemetry;

/// <summary>Names the numbered stream of one device's poll group: <c>device/group</c> (names cannot hold a slash).</summary>
public static class StreamName
{
    public static string Of(string device, string group) => device + "/" + group;
}
