using System.IO.Hashing;
using Kansoku.Tsdb.Encoding;

namespace Kansoku.Tsdb.Blocks;

/// <summary>Writes a block's chunks file (<see cref="ChunkFile"/>), buffering about a megabyte at a time.</summary>
internal sealed class ChunkFileWriter : IDisposable
{
    private const int FlushBytes = 1 << 20;
    private readonly FileStream _file;
    private readonly ByteWriter _buffer = new(FlushBytes + (64 * 1024));
    private long _flushed;

    public ChunkFileWriter(string path)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        _buffer.WriteBytes(ChunkFile.Magic);
        _buffer.WriteBytes([1, 0, 0, 0]);
    }

    public long Write(ReadOnlySpan<byte> chunk)
    {
        var reference = _flushed + _buffer.Length;
        _buffer.WriteUVarint((ulong)chunk.Length);
        _buffer.WriteBytes(chunk);
        _buffer.WriteUInt32(Crc32.HashToUInt32(chunk));
        if (_buffer.Length >= FlushBytes)
        {
            Flush();
        }
        return reference;
    }

    public void Finish()
    {
        Flush();
        _file.Flush(flushToDisk: true);
    }

    public void Dispose() => _file.Dispose();

    private void Flush()
    {
        _file.Write(_buffer.WrittenSpan);
        _flushed += _buffer.Length;
        _buffer.Reset();
    }
}
