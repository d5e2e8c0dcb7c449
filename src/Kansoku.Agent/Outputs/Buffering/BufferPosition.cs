namespace Kansoku.Agent.Outputs.Buffering;

/// <summary>A byte offset in one segment file.</summary>
internal readonly record struct BufferPosition(long SegmentId, long Offset) : IComparable<BufferPosition>
{
    public int CompareTo(BufferPosition other) =>
        SegmentId != other.SegmentId ? SegmentId.CompareTo(other.SegmentId) : Offset.CompareTo(other.Offset);

    public static bool operator <(BufferPosition left, BufferPosition right) => left.CompareTo(right) < 0;
    public static bool operator >(BufferPosition left, BufferPosition right) => left.CompareTo(right) > 0;
    public static bool operator <=(BufferPosition left, BufferPosition right) => left.CompareTo(right) <= 0;
    public static bool operator >=(BufferPosition left, BufferPosition right) => left.CompareTo(right) >= 0;
}
