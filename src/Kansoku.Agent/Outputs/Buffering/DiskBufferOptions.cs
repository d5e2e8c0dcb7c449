using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Outputs.Buffering;

/// <param name="QuotaBytes">Fluent Bit's <c>storage.total_limit_size</c>: bytes of unacknowledged frames allowed.</param>
/// <param name="SegmentBytes">Size at which the writer starts a new segment file.</param>
/// <param name="Sync">Whether each append (and each cursor update) is fsynced before it is acknowledged.</param>
internal sealed record DiskBufferOptions(long QuotaBytes, long SegmentBytes, BufferFullAction FullAction, SyncPolicy Sync = SyncPolicy.Full)
{
    public const long DefaultQuotaBytes = 256L << 20;
    public const long DefaultSegmentBytes = 8L << 20;

    public static DiskBufferOptions Default { get; } = new(DefaultQuotaBytes, DefaultSegmentBytes, BufferFullAction.Block);
}
