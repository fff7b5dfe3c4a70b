using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Appliance.Drivers.Policy;

/// <summary>
/// An exact TCP endpoint: an IP literal and a port, nothing else. The one spelling accepted for IPv4 is four decimal
/// numbers 0-255 without leading zeros and a decimal port 1-65535 without leading zeros ("10.0.0.50:502"); for IPv6 the
/// address in brackets, without a zone ("[fd00::1]:502"). Names, octal, hexadecimal, shortened and integer IPv4 forms,
/// whitespace, a second address and anything after the port are refused, so that what is compared is the parsed
/// address: an allowlist entry matches only the same address of the same family and the same port
/// (<c>::ffff:10.0.0.50</c> is an IPv6 address, not 10.0.0.50).
/// </summary>
public readonly record struct Endpoint(IPAddress Address, int Port)
{
    /// <summary>The longest text looked at: "[" + 45 characters of IPv6 + "]:" + 5 digits.</summary>
    public const int MaxLength = 53;

    public override string ToString() => Address.AddressFamily == AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}");

    public IPEndPoint ToIPEndPoint() => new(Address, Port);

    /// <summary>Parses the one accepted spelling; <paramref name="problem"/> says what is wrong otherwise.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Endpoint endpoint, out string problem)
    {
        endpoint = default;
        if (text.Length == 0 || text.Length > MaxLength)
        {
            problem = text.Length == 0 ? "it is empty" : $"it is longer than {MaxLength} characters";
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c) && !char.IsAsciiHexDigit(c) && c is not ('.' or ':' or '[' or ']'))
            {
                problem = $"it holds '{(char.IsControl(c) || char.IsWhiteSpace(c) ? $"\\u{(int)c:x4}" : c.ToString())}': write an IP address and a port, like 10.0.0.50:502 or [fd00::1]:502 (no names, no spaces, one endpoint)";
                return false;
            }
        }

        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            problem = "it has no port: write it like 10.0.0.50:502";
            return false;
        }

        if (!TryParsePort(text[(colon + 1)..], out int port))
        {
            problem = "the port must be a decimal number 1-65535 without leading zeros";
            return false;
        }

        ReadOnlySpan<char> host = text[..colon];
        IPAddress? address;
        if (host.StartsWith("[") && host.EndsWith("]"))
        {
            ReadOnlySpan<char> inner = host[1..^1];
            if (inner.IndexOfAny('[', ']') >= 0 || inner.IndexOf(':') < 0 || !IPAddress.TryParse(inner, out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                problem = "the part in brackets is not an IPv6 address";
                return false;
            }
        }
        else if (!TryParseIPv4(host, out address))
        {
            problem = "the address must be four decimal numbers 0-255 without leading zeros (like 10.0.0.50), or an IPv6 address in brackets";
            return false;
        }

        endpoint = new Endpoint(address, port);
        problem = "";
        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5 || text[0] == '0')
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= 65_535;
    }

    private static bool TryParseIPv4(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        int part = 0;
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '.')
            {
                if (!char.IsAsciiDigit(text[i]))
                {
                    return false;
                }

                continue;
            }

            ReadOnlySpan<char> digits = text[start..i];
            if (part == 4 || digits.Length is 0 or > 3 || (digits.Length > 1 && digits[0] == '0'))
            {
                return false;
            }

            int value = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            bytes[part++] = (byte)value;
            start = i + 1;
        }

        if (part != 4)
        {
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }
}
