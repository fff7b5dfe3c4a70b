namespace Appliance.Drivers.Net;

/// <summary>The WIT's <c>sensor-net.net-error</c>, in its order (the canonical ABI's discriminants).</summary>
public enum NetError : byte
{
    Denied,
    BadAddress,
    Refused,
    Unreachable,
    Timeout,
    Closed,
    Quota,
    BadHandle,
    TooMany,
}
