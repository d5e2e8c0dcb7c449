namespace Kansoku.Tsdb.Chunks;

/// <summary>
/// The first byte of a chunk (docs/format/tsdb.md, "Chunks"). Chunks written before the byte existed start with the
/// high byte of their 16-bit sample count, which is 0 because no writer ever put 256 samples in a chunk: 0 reads as XOR
/// without the byte.
/// </summary>
internal enum ChunkEncoding : byte
{
    LegacyXor = 0,
    Xor = 1,
    Packed = 2,
}
