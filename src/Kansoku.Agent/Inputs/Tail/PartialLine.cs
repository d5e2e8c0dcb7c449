using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>
/// The pieces of a line a runtime split (CRI <c>P</c> records, docker lines without "\n"), joined per stream until the
/// closing piece. The joined line takes the first piece's time and offset.
/// </summary>
internal sealed class PartialLine : IDisposable
{
    private ByteBuffer? _buffer;

    public bool IsActive { get; private set; }
    public long StartOffset { get; private set; }
    public long TimeUnixNano { get; private set; }
    public int Length => _buffer?.Length ?? 0;
    public ReadOnlyMemory<byte> Content => _buffer is null ? default : _buffer.WrittenMemory;

    public void Append(ReadOnlySpan<byte> piece, long startOffset, long timeUnixNano)
    {
        if (!IsActive)
        {
            IsActive = true;
            StartOffset = startOffset;
            TimeUnixNano = timeUnixNano;
            (_buffer ??= new ByteBuffer(16 * 1024)).Clear();
        }
        _buffer!.Write(piece);
    }

    public void Reset()
    {
        IsActive = false;
        _buffer?.Clear();
    }

    public void Dispose() => _buffer?.Dispose();
}
