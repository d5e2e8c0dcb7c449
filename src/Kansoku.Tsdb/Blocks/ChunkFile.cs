using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace Kansoku.Tsdb.Blocks;

/// <summary>
/// A block's <c>chunks/000001</c>: an 8-byte header ("KSCH", version 1, 3 zero bytes) then chunks, each a uvarint
/// length, the encoded chunk and a CRC-32 of it (u32 LE). A chunk's reference is its offset in the file.
/// </summary>
internal static class ChunkFile
{
    public const string Directory = "chunks";
    public const string Name = "000001";
    public static ReadOnlySpan<byte> Magic => "KSCH"u8;
    public const int HeaderBytes = 8;

    /// <summary>Reads the chunk at <paramref name="reference"/>, checking its CRC.</summary>
    public static ArraySegment<byte> Read(SafeFileHandle handle, long reference)
    {
        Span<byte> prefix = stackalloc byte[10];
        var read = RandomAccess.Read(handle, prefix, reference);
        var reader = new Encoding.ByteReader(prefix[..read]);
        var length = reader.ReadLength();
        var bytes = new byte[length + 4];
        if (RandomAccess.Read(handle, bytes, reference + reader.Position) != bytes.Length)
        {
            throw new InvalidDataException($"chunk at {reference} runs past the end of the file");
        }
        if (Crc32.HashToUInt32(bytes.AsSpan(0, length)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(length)))
        {
            throw new InvalidDataException($"chunk at {reference} fails its checksum");
        }
        return new ArraySegment<byte>(bytes, 0, length);
    }
}
