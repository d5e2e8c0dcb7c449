namespace Kansoku.Agent.Outputs.Buffering;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected 0xEDB88320), the checksum of buffer frames. System.IO.Hashing is not referenced;
/// a table-driven loop is fast enough for the buffer (it runs once per append and once per read).
/// </summary>
internal static class Crc32
{
    private static readonly uint[] s_table = BuildTable();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var value = ~crc;
        foreach (var b in data)
        {
            value = s_table[(value ^ b) & 0xFF] ^ (value >> 8);
        }
        return ~value;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
