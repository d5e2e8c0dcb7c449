using System.Buffers;

namespace Kansoku.Server.Ingest;

/// <summary>
/// Memory for the lines of one request that are not slices of its body (the decompressed protobuf, unescaped JSON
/// strings), in chunks rented from the shared pool. Chunks never move, so every committed slice stays valid until Dispose
/// returns them all: dispose once the append that uses the lines has completed. Not thread-safe.
/// </summary>
internal sealed class ByteArena : IDisposable
{
    private const int ChunkBytes = 64 * 1024;

    private readonly List<byte[]> _chunks = [];
    private byte[] _current = [];
    private int _used;

    /// <summary>Room for up to <paramref name="maxLength"/> bytes; <see cref="Commit"/> keeps what was written.</summary>
    public Span<byte> GetSpan(int maxLength)
    {
        if (_current.Length - _used < maxLength)
        {
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(maxLength, ChunkBytes));
            _chunks.Add(_current);
            _used = 0;
        }
        return _current.AsSpan(_used, maxLength);
    }

    /// <summary>The first <paramref name="length"/> bytes written to the last <see cref="GetSpan"/>.</summary>
    public ReadOnlyMemory<byte> Commit(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _current.Length - _used);
        var committed = _current.AsMemory(_used, length);
        _used += length;
        return committed;
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        _chunks.Clear();
        _current = [];
        _used = 0;
    }
}
