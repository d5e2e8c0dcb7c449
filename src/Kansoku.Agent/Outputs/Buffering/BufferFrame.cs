namespace Kansoku.Agent.Outputs.Buffering;

/// <summary>Where one appended batch lives on disk. The frame is <see cref="Size"/> bytes starting at <see cref="Position"/>.</summary>
internal readonly record struct BufferFrame(BufferPosition Position, int PayloadLength, int RecordCount)
{
    /// <summary>[u32 length][u32 crc][payload][u32 record count], little-endian.</summary>
    public const int Overhead = 12;

    public long Size => PayloadLength + (long)Overhead;
}
