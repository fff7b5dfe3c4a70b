using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Appliance.Config.Binding;

namespace Appliance.Config;

/// <summary>A broker URL taken apart: <c>mqtt://host:port</c> or <c>mqtts://host:port</c>.</summary>
public sealed record BrokerAddress(bool UseTls, string Host, int Port)
{
    private const string Shape = "write mqtt://host:port, or mqtts://host:port for TLS";

    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";

    /// <summary>
    /// Parses <c>mqtt://host[:port]</c> or <c>mqtts://host[:port]</c> (IPv6 hosts in brackets; the port defaults to 1883 or
    /// 8883). On failure <paramref name="problem"/> says what is wrong and how to write it, to follow the quoted URL.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out BrokerAddress? address, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        bool tls;
        string rest;
        if (text.StartsWith("mqtt://", StringComparison.Ordinal))
        {
            (tls, rest) = (false, text["mqtt://".Length..]);
        }
        else if (text.StartsWith("mqtts://", StringComparison.Ordinal))
        {
            (tls, rest) = (true, text["mqtts://".Length..]);
        }
        else
        {
            problem = "must start with mqtt:// or mqtts://; " + Shape;
            return false;
        }

        rest = rest.TrimEnd('/');
        string host;
        string? portText = null;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? rest[1..close] : string.Empty;
            string after = close > 0 ? rest[(close + 1)..] : string.Empty;
            if (after.StartsWith(':'))
            {
                portText = after[1..];
            }
            else if (after.Length > 0 || close < 0)
            {
                host = string.Empty;
            }
        }
        else
        {
            int colon = rest.LastIndexOf(':');
            host = colon >= 0 ? rest[..colon] : rest;
            portText = colon >= 0 ? rest[(colon + 1)..] : null;
        }

        int port = tls ? 8883 : 1883;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65_535))
        {
            problem = "has an invalid port; the port is 1 to 65535";
            return false;
        }

        if (!HostName.IsValid(host))
        {
            problem = "has no valid host; " + Shape;
            return false;
        }

        problem = "";
        address = new BrokerAddress(tls, host, port);
        return true;
    }
}
