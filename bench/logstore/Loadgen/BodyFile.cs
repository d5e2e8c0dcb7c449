using System.Buffers.Binary;

namespace Kansoku.Bench.Loadgen;

/// <summary>
/// The prepared requests on disk, so the timed push does no encoding: per request a header of three little-endian
/// int32s (body bytes, lines, raw line bytes) and the body.
/// </summary>
internal static class BodyFile
{
    private const int HeaderBytes = 12;

    public static void Write(Stream output, ReadOnlySpan<byte> body, int lines, int rawBytes)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], lines);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], rawBytes);
        output.Write(header);
        output.Write(body);
    }

    public static IEnumerable<PreparedRequest> Read(string path)
    {
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var header = new byte[HeaderBytes];
        while (input.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) == HeaderBytes)
        {
            var body = new byte[BinaryPrimitives.ReadInt32LittleEndian(header)];
            input.ReadExactly(body);
            yield return new PreparedRequest(body, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4)),
                BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)));
        }
    }
}
