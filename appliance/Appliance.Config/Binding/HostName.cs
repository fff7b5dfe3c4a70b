using System.Net;
using System.Net.Sockets;

namespace Appliance.Config.Binding;

/// <summary>
/// Strict host syntax: a dotted-quad IPv4 address, an IPv6 address, or an RFC 1123 host name. Forms that
/// <c>inet_aton</c> would accept ("127.1", "0x7f.0.0.1", "2130706433") are refused rather than guessed at.
/// </summary>
internal static class HostName
{
    public static bool IsValid(string host)
    {
        if (host.Length is 0 or > 253)
        {
            return false;
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(host, out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        if (host.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return IsDottedQuad(host);
        }

        foreach (string label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDottedQuad(string text)
    {
        string[] parts = text.Split('.');
        return parts.Length == 4 && parts.All(part =>
            part.Length is >= 1 and <= 3 && (part.Length == 1 || part[0] != '0') && int.Parse(part, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }
}
