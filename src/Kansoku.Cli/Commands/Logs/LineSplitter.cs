using System.Buffers;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// Splits a stream into '\n'-terminated lines. A last line without its '\n' is held back (the writer may be in the
/// middle of it): a later call, once more was written, returns it whole.
/// </summary>
internal sealed class LineSplitter : IDisposable
{
    /// <summary>A line longer than this is returned in pieces rather than held in memory whole.</summary>
    private const int MaxLine = 4 * 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;

    public LineSplitter(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>The bytes after the last '\n' read so far.</summary>
    public ReadOnlyMemory<byte> Remainder => _buffer.AsMemory(_start, _end - _start);

    /// <summary>The next complete line, without its '\n' (valid until the next call); false when none is there yet.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsMemory(_start, scanned + newline);
                _start += scanned + newline + 1;
                return true;
            }
            scanned = _end - _start;
            if (scanned >= MaxLine)
            {
                line = _buffer.AsMemory(_start, scanned);
                _start = _end;
                return true;
            }
            MakeRoom();
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                line = default;
                return false;
            }
            _end += read;
        }
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
