namespace Kansoku.Agent.Outputs.Buffering;

/// <summary>
/// One or more consecutive frames handed to the sender. <see cref="Ndjson"/> belongs to the buffer and is valid
/// until the next <see cref="DiskBuffer.ReadAsync"/>.
/// </summary>
internal sealed record BufferedBatch(ReadOnlyMemory<byte> Ndjson, int RecordCount, int FrameCount);
