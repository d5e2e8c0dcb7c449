using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// Loki's <c>ip("...")</c>: an address, a CIDR prefix or a range <c>a-b</c>, matched against every IP address found in
/// a line or label value (Loki's <c>ipFilter</c>, including the way it scans for candidates).
/// </summary>
internal sealed class IpPattern
{
    private const string IPv4Charset = "0123456789.";
    private const string IPv6Charset = "0123456789abcdefABCDEF:.";

    private readonly Address _low;
    private readonly Address _high;

    private IpPattern(Address low, Address high)
    {
        _low = low;
        _high = high;
    }

    /// <summary>Null when <paramref name="pattern"/> is none of the three forms; <paramref name="error"/> then says so as Loki does.</summary>
    public static IpPattern? TryCreate(string pattern, out string? error)
    {
        error = null;
        if (TryParseAddress(pattern, out var single))
        {
            return new IpPattern(single, single);
        }
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && TryParseAddress(pattern[..slash], out var prefix) && !pattern.Contains('%', StringComparison.Ordinal)
            && int.TryParse(pattern.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bits)
            && bits <= prefix.Bits && (pattern.Length - slash - 1 == 1 || pattern[slash + 1] != '0'))
        {
            var hostBits = prefix.Bits - bits;
            var mask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
            return new IpPattern(new Address(prefix.IsV6, prefix.Value & ~mask), new Address(prefix.IsV6, prefix.Value | mask));
        }
        var dash = pattern.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && TryParseAddress(pattern[..dash], out var from) && TryParseAddress(pattern[(dash + 1)..], out var to)
            && from.IsV6 == to.IsV6 && from.Value <= to.Value)
        {
            return new IpPattern(from, to);
        }
        error = $"ip: invalid pattern: {Go.GoStrings.Quote(pattern)}";
        return null;
    }

    /// <summary>Whether any address in <paramref name="text"/> falls in the pattern.</summary>
    public bool Filter(ReadOnlySpan<byte> text)
    {
        var n = text.Length;
        for (var i = 0; i < n; i++)
        {
            if (i + 3 < n && IsIPv4Hint(text[i], text[i + 1], text[i + 2], text[i + 3]))
            {
                if (Candidate(text, i, IPv4Charset, out var length))
                {
                    return true;
                }
                i += length;
                continue;
            }
            if (IsIPv6Hint(At(text, i), At(text, i + 1), At(text, i + 2), At(text, i + 3), At(text, i + 4)))
            {
                if (Candidate(text, i, IPv6Charset, out var length))
                {
                    return true;
                }
                i += length;
            }
        }
        return false;
    }

    private bool Candidate(ReadOnlySpan<byte> text, int start, string charset, out int length)
    {
        length = 0;
        while (start + length < text.Length && charset.Contains((char)text[start + length], StringComparison.Ordinal))
        {
            length++;
        }
        return TryParseAddress(Encoding.ASCII.GetString(text.Slice(start, length)), out var address) && Contains(address);
    }

    private bool Contains(Address address) =>
        address.IsV6 == _low.IsV6 && address.Value >= _low.Value && address.Value <= _high.Value;

    private static byte At(ReadOnlySpan<byte> text, int index) => index < text.Length ? text[index] : (byte)0;

    private static bool IsIPv4Hint(byte b0, byte b1, byte b2, byte b3) =>
        char.IsAsciiDigit((char)b0) && (b1 == '.' || b2 == '.' || b3 == '.');

    private static bool IsIPv6Hint(byte b0, byte b1, byte b2, byte b3, byte b4) =>
        (b0 == ':' && b1 == ':' && IsHex(b2))
        || (IsHex(b0) && b1 == ':')
        || (IsHex(b0) && IsHex(b1) && b2 == ':')
        || (IsHex(b0) && IsHex(b1) && IsHex(b2) && b3 == ':')
        || (IsHex(b0) && IsHex(b1) && IsHex(b2) && IsHex(b3) && b4 == ':');

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    /// <summary>Go's netip.ParseAddr: dotted quads without leading zeros, or IPv6 (IPv4-mapped forms stay IPv6).</summary>
    private static bool TryParseAddress(string text, out Address address)
    {
        address = default;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            var zone = text.IndexOf('%', StringComparison.Ordinal);
            var withoutZone = zone >= 0 ? text[..zone] : text;
            if (withoutZone.StartsWith('[') || !IPAddress.TryParse(withoutZone, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
            Span<byte> bytes = stackalloc byte[16];
            parsed.TryWriteBytes(bytes, out _);
            address = new Address(true, ReadBigEndian(bytes));
            return true;
        }
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }
        UInt128 value = 0;
        foreach (var part in parts)
        {
            if (part.Length == 0 || part.Length > 3 || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }
            var octet = 0;
            foreach (var c in part)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255)
            {
                return false;
            }
            value = (value << 8) | (uint)octet;
        }
        address = new Address(false, value);
        return true;
    }

    private static UInt128 ReadBigEndian(ReadOnlySpan<byte> bytes)
    {
        UInt128 value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }
        return value;
    }

    private readonly record struct Address(bool IsV6, UInt128 Value)
    {
        public int Bits => IsV6 ? 128 : 32;
    }
}
