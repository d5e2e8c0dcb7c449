using System.Security.Cryptography;

namespace Kansoku.Tsdb.Blocks;

/// <summary>Block directory names: ULIDs (48-bit millisecond time, 80 random bits, Crockford base32), as Prometheus.</summary>
internal static class BlockId
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(TimeProvider time)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (40 - (8 * i)));
        }
        RandomNumberGenerator.Fill(bytes[6..]);
        Span<char> text = stackalloc char[26];
        // 128 bits in 26 five-bit digits: the first digit holds the top 3 bits.
        var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var value = new UInt128(high, low);
        for (var i = 25; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(text);
    }

    public static bool IsValid(string name)
    {
        if (name.Length != 26)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
