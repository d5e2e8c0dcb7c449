using System.Buffers.Binary;
using System.Globalization;
using Kansoku.Agent.Pipeline;
using Kansoku.Core.Threading;

namespace Kansoku.Agent.Outputs.Buffering;

/// <summary>
/// A durable FIFO of NDJSON batches for one output, in <c>{StateDirectory}/buffer/{Name}/</c>.
/// <para>
/// Layout: append-only segment files <c>{id:D12}.seg</c>, each a run of frames
/// <c>[u32 payload length][u32 crc32(payload ‖ count)][payload][u32 record count]</c> (little-endian), and a
/// <c>cursor</c> file holding the position of the first frame not yet acknowledged (segment id, offset, crc32),
/// replaced atomically (write <c>cursor.tmp</c>, fsync, rename). Segments wholly before the cursor are deleted.
/// </para>
/// <para>
/// Durability: every accepted batch is written to the OS, and with <see cref="SyncPolicy.Full"/> fsynced, before
/// <see cref="AppendAsync"/> completes.
/// That is what lets the tail inputs advance their checkpoints as soon as the output accepts: a record is either
/// still in the source file behind the checkpoint or on disk here. The cursor moves only after the sink
/// acknowledged, so a crash re-delivers at most the batch in flight (at-least-once), never loses one.
/// </para>
/// <para>
/// Recovery (<see cref="Open"/>): every segment is scanned; the first short or crc-mismatching frame ends the
/// segment and the file is truncated there (logged with the byte count). A bad file never stops the agent.
/// </para>
/// <para>
/// Threads: one appender at a time (<see cref="_appendGate"/>), one reader (the output's sender loop). Queue state
/// is guarded by <see cref="_lock"/>; disk writes happen outside it, under the append gate; the cursor file is
/// written under <see cref="_cursorLock"/>.
/// </para>
/// </summary>
internal sealed class DiskBuffer : IDisposable
{
    private const string SegmentExtension = ".seg";
    private const string CursorFileName = "cursor";
    private const string CursorTempFileName = "cursor.tmp";
    private const int CursorFileLength = 20;
    private const int MaxPayloadLength = 1 << 30;

    private readonly string _directory;
    private readonly DiskBufferOptions _options;
    private readonly ComponentCounters _counters;
    private readonly AgentLog _log;
    private readonly string _name;
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private readonly AsyncPulse _changed = new();
    private readonly Lock _lock = new();
    private readonly Lock _cursorLock = new();

    // Guarded by _lock.
    private readonly Queue<BufferFrame> _pending = new();
    private readonly SortedSet<long> _segments = [];
    private BufferPosition _inFlightStart;
    private int _inFlightFrames;
    private long _inFlightBytes;
    private long _bufferedBytes;
    private BufferPosition _writeEnd;
    private bool _dropping;
    private bool _disposed;

    // Guarded by _cursorLock.
    private BufferPosition _persistedCursor;

    // Owned by the appender (under _appendGate).
    private FileStream _writer;
    private long _writeSegmentId;
    private long _writeOffset;

    // Owned by the single reader.
    private readonly List<BufferFrame> _reading = [];
    private byte[] _readBuffer = new byte[64 * 1024];

    private DiskBuffer(string directory, DiskBufferOptions options, ComponentCounters counters, AgentLog log, string name,
        BufferPosition cursor, long writeSegmentId)
    {
        _directory = directory;
        _options = options;
        _counters = counters;
        _log = log;
        _name = name;
        _persistedCursor = cursor;
        _writeSegmentId = writeSegmentId;
        _writer = CreateSegment(writeSegmentId);
        _segments.Add(writeSegmentId);
        _writeEnd = new BufferPosition(writeSegmentId, 0);
    }

    /// <summary>Bytes of frames not yet acknowledged (what the quota counts).</summary>
    public long BufferedBytes
    {
        get
        {
            lock (_lock)
            {
                return _bufferedBytes;
            }
        }
    }

    /// <summary>Frames recovered from a previous run by <see cref="Open"/>.</summary>
    public int RecoveredFrames { get; private set; }

    /// <summary>Bytes cut from torn or corrupt segment tails by <see cref="Open"/>.</summary>
    public long TruncatedBytes { get; private set; }

    /// <summary>Opens (creating if needed) the buffer in <paramref name="directory"/> and recovers what a previous run left.</summary>
    public static DiskBuffer Open(string directory, DiskBufferOptions options, ComponentCounters counters, AgentLog log, string name)
    {
        Directory.CreateDirectory(directory);
        var tempCursor = Path.Combine(directory, CursorTempFileName);
        if (File.Exists(tempCursor))
        {
            File.Delete(tempCursor);
        }
        var segmentIds = ListSegments(directory);
        var cursor = ReadCursor(directory, log, name) ?? new BufferPosition(segmentIds.Count > 0 ? segmentIds[0] : 0, 0);
        var lastId = segmentIds.Count > 0 ? Math.Max(segmentIds[^1], cursor.SegmentId) : cursor.SegmentId;
        var buffer = new DiskBuffer(directory, options, counters, log, name, cursor, lastId + 1);
        buffer.Recover(segmentIds, cursor);
        return buffer;
    }

    /// <summary>
    /// Appends a batch and fsyncs it. While the quota is exceeded it waits for the reader to free space, or drops
    /// according to <see cref="DiskBufferOptions.FullAction"/>. A batch larger than the whole quota is still taken
    /// when the buffer is empty, so it cannot wedge the output. Returns false when the batch itself was dropped.
    /// </summary>
    public async ValueTask<bool> AppendAsync(ReadOnlyMemory<byte> payload, int recordCount, CancellationToken cancellationToken)
    {
        if (payload.Length > MaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), "a batch must be smaller than 1 GiB");
        }
        var frameSize = payload.Length + (long)BufferFrame.Overhead;
        await _appendGate.WaitAsync(cancellationToken);
        try
        {
            if (!await ReserveAsync(frameSize, recordCount, cancellationToken))
            {
                return false;
            }
            BufferFrame frame;
            try
            {
                frame = WriteFrame(payload.Span, recordCount);
            }
            catch
            {
                lock (_lock)
                {
                    _bufferedBytes -= frameSize;
                }
                throw;
            }
            lock (_lock)
            {
                _pending.Enqueue(frame);
                _writeEnd = new BufferPosition(frame.Position.SegmentId, frame.Position.Offset + frame.Size);
                _counters.SetBufferedBytes(_bufferedBytes);
            }
            _changed.Pulse();
            return true;
        }
        finally
        {
            _appendGate.Release();
        }
    }

    /// <summary>
    /// Waits for buffered frames and returns the oldest ones, merged up to <paramref name="maxBytes"/> (at least one
    /// frame). The batch must be acknowledged with <see cref="Acknowledge"/> before the next read.
    /// </summary>
    public async ValueTask<BufferedBatch> ReadAsync(int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_inFlightFrames != 0)
                {
                    throw new InvalidOperationException("the previous batch was not acknowledged");
                }
                if (_pending.Count > 0)
                {
                    TakeFrames(maxBytes);
                    break;
                }
                wait = _changed.Current;
            }
            await wait.WaitAsync(cancellationToken);
        }
        return ReadFrames();
    }

    /// <summary>Marks the batch from the last <see cref="ReadAsync"/> delivered (or given up): its space is freed.</summary>
    public void Acknowledge()
    {
        BufferPosition cursor;
        lock (_lock)
        {
            _bufferedBytes -= _inFlightBytes;
            _inFlightFrames = 0;
            _inFlightBytes = 0;
            _dropping = false;
            cursor = DesiredCursor();
            _counters.SetBufferedBytes(_bufferedBytes);
        }
        _changed.Pulse();
        PersistCursor(cursor);
    }

    /// <summary>Waits until every appended frame is acknowledged, or <paramref name="bound"/> passes (then false).</summary>
    public async Task<bool> WaitUntilEmptyAsync(TimeSpan bound, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(bound, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_bufferedBytes == 0)
                {
                    return true;
                }
                wait = _changed.Current;
            }
            try
            {
                await wait.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        _changed.Pulse();
        _appendGate.Wait();
        try
        {
            _writer.Dispose();
        }
        finally
        {
            _appendGate.Release();
        }
    }

    private async ValueTask<bool> ReserveAsync(long frameSize, int recordCount, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task? wait = null;
            bool? reserved = null;
            BufferPosition? cursor = null;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var dropped = 0L;
                if (_options.FullAction == BufferFullAction.DropOldest)
                {
                    while (_pending.Count > 0 && _bufferedBytes + frameSize > _options.QuotaBytes)
                    {
                        var oldest = _pending.Dequeue();
                        _bufferedBytes -= oldest.Size;
                        dropped += oldest.RecordCount;
                    }
                    if (dropped > 0)
                    {
                        cursor = DesiredCursor();
                    }
                }
                if (_bufferedBytes == 0 || _bufferedBytes + frameSize <= _options.QuotaBytes)
                {
                    _bufferedBytes += frameSize;
                    reserved = true;
                }
                else if (_options.FullAction == BufferFullAction.DropNewest)
                {
                    dropped += recordCount;
                    reserved = false;
                }
                else
                {
                    // Block, or DropOldest with only the in-flight batch left to free space: wait for the sender.
                    wait = _changed.Current;
                }
                if (dropped > 0)
                {
                    LogDrop(dropped);
                }
            }
            // Outside _lock: PersistCursor takes _cursorLock, then _lock.
            if (cursor is { } moved)
            {
                PersistCursor(moved);
            }
            if (reserved is { } result)
            {
                return result;
            }
            await wait!.WaitAsync(cancellationToken);
        }
    }

    // Called under _lock; logs once per full episode so a sustained overflow does not flood the agent log.
    private void LogDrop(long records)
    {
        _counters.AddDropped(records);
        if (!_dropping)
        {
            _dropping = true;
            _log.Warn($"[output:{_name}] buffer full ({_options.QuotaBytes} bytes), buffer_full_action " +
                $"{_options.FullAction}: dropping records (counted in dropped_records)");
        }
    }

    private BufferFrame WriteFrame(ReadOnlySpan<byte> payload, int recordCount)
    {
        var frameSize = payload.Length + (long)BufferFrame.Overhead;
        if (_writeOffset > 0 && _writeOffset + frameSize > _options.SegmentBytes)
        {
            RollSegment();
        }
        Span<byte> header = stackalloc byte[8];
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(trailer, recordCount);
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.Append(Crc32.Compute(payload), trailer));
        var start = _writeOffset;
        try
        {
            _writer.Write(header);
            _writer.Write(payload);
            _writer.Write(trailer);
            _writer.Flush(flushToDisk: _options.Sync == SyncPolicy.Full);
        }
        catch (IOException)
        {
            // Leave no half frame behind: the next append would otherwise follow garbage until the next restart.
            _writer.SetLength(start);
            _writer.Position = start;
            throw;
        }
        _writeOffset += frameSize;
        return new BufferFrame(new BufferPosition(_writeSegmentId, start), payload.Length, recordCount);
    }

    private void RollSegment()
    {
        var next = _writeSegmentId + 1;
        var writer = CreateSegment(next);
        _writer.Dispose();
        _writer = writer;
        _writeSegmentId = next;
        _writeOffset = 0;
        lock (_lock)
        {
            _segments.Add(next);
        }
    }

    private FileStream CreateSegment(long id) =>
        new(SegmentPath(id), FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 1);

    private string SegmentPath(long id) => Path.Combine(_directory, id.ToString("D12", CultureInfo.InvariantCulture) + SegmentExtension);

    // Called under _lock.
    private void TakeFrames(int maxBytes)
    {
        _reading.Clear();
        var total = 0L;
        while (_pending.Count > 0)
        {
            var next = _pending.Peek();
            if (_reading.Count > 0 && total + next.PayloadLength > maxBytes)
            {
                break;
            }
            _reading.Add(_pending.Dequeue());
            total += next.PayloadLength + 1;
            _inFlightBytes += next.Size;
        }
        _inFlightStart = _reading[0].Position;
        _inFlightFrames = _reading.Count;
    }

    private BufferedBatch ReadFrames()
    {
        var needed = 0L;
        foreach (var frame in _reading)
        {
            needed += frame.Size + 1;
        }
        if (_readBuffer.Length < needed)
        {
            _readBuffer = new byte[Math.Max(needed, _readBuffer.Length * 2L)];
        }
        var length = 0;
        var records = 0;
        Microsoft.Win32.SafeHandles.SafeFileHandle? handle = null;
        var handleSegment = -1L;
        try
        {
            foreach (var frame in _reading)
            {
                try
                {
                    if (handle is null || handleSegment != frame.Position.SegmentId)
                    {
                        handle?.Dispose();
                        handle = null;
                        handle = File.OpenHandle(SegmentPath(frame.Position.SegmentId), FileMode.Open, FileAccess.Read,
                            FileShare.ReadWrite | FileShare.Delete);
                        handleSegment = frame.Position.SegmentId;
                    }
                    var target = _readBuffer.AsSpan(length, (int)frame.Size);
                    if (ReadFully(handle, target, frame.Position.Offset) != target.Length || !IsValidFrame(target, frame.PayloadLength))
                    {
                        throw new InvalidDataException("frame changed on disk since it was written");
                    }
                    target.Slice(8, frame.PayloadLength).CopyTo(_readBuffer.AsSpan(length));
                    length += frame.PayloadLength;
                    if (frame.PayloadLength > 0 && _readBuffer[length - 1] != (byte)'\n')
                    {
                        _readBuffer[length++] = (byte)'\n';
                    }
                    records += frame.RecordCount;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    handleSegment = -1;
                    _counters.AddDropped(frame.RecordCount);
                    _log.Error($"[output:{_name}] buffered batch at {SegmentPath(frame.Position.SegmentId)}:{frame.Position.Offset} " +
                        $"is unreadable ({ex.Message}); {frame.RecordCount} records dropped");
                }
            }
        }
        finally
        {
            handle?.Dispose();
        }
        return new BufferedBatch(_readBuffer.AsMemory(0, length), records, _reading.Count);
    }

    private static int ReadFully(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> target, long offset)
    {
        var total = 0;
        while (total < target.Length)
        {
            var read = RandomAccess.Read(handle, target[total..], offset + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    /// <summary><paramref name="frame"/> is a whole frame: header, payload, trailer.</summary>
    private static bool IsValidFrame(ReadOnlySpan<byte> frame, int payloadLength)
    {
        if (BinaryPrimitives.ReadInt32LittleEndian(frame) != payloadLength)
        {
            return false;
        }
        var crc = Crc32.Append(Crc32.Compute(frame.Slice(8, payloadLength)), frame.Slice(8 + payloadLength, 4));
        return crc == BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]);
    }

    // Called under _lock: the first frame still wanted (in flight, else pending, else everything is acknowledged).
    private BufferPosition DesiredCursor() =>
        _inFlightFrames > 0 ? _inFlightStart : _pending.Count > 0 ? _pending.Peek().Position : _writeEnd;

    private void PersistCursor(BufferPosition cursor)
    {
        List<long> obsolete = [];
        lock (_cursorLock)
        {
            if (cursor <= _persistedCursor)
            {
                return;
            }
            try
            {
                WriteCursorFile(cursor);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The older cursor stays valid: a restart would re-deliver, not lose. The next ack tries again.
                _log.Warn($"[output:{_name}] cannot write buffer cursor: {ex.Message}");
                return;
            }
            _persistedCursor = cursor;
            lock (_lock)
            {
                foreach (var id in _segments)
                {
                    if (id < cursor.SegmentId)
                    {
                        obsolete.Add(id);
                    }
                }
                foreach (var id in obsolete)
                {
                    _segments.Remove(id);
                }
            }
        }
        foreach (var id in obsolete)
        {
            TryDelete(SegmentPath(id));
        }
    }

    private void WriteCursorFile(BufferPosition cursor)
    {
        Span<byte> bytes = stackalloc byte[CursorFileLength];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, cursor.SegmentId);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], cursor.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], Crc32.Compute(bytes[..16]));
        var temp = Path.Combine(_directory, CursorTempFileName);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: _options.Sync == SyncPolicy.Full);
        }
        // rename(2) is atomic; a power loss before the directory is synced may bring back the previous cursor: that
        // re-delivers one batch, it never skips one.
        File.Move(temp, Path.Combine(_directory, CursorFileName), overwrite: true);
        if (_options.Sync == SyncPolicy.Full)
        {
            Kansoku.Core.IO.DirectorySync.Fsync(_directory);
        }
    }

    private static BufferPosition? ReadCursor(string directory, AgentLog log, string name)
    {
        var path = Path.Combine(directory, CursorFileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == CursorFileLength &&
                Crc32.Compute(bytes.AsSpan(0, 16)) == BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)))
            {
                return new BufferPosition(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
            }
            log.Warn($"[output:{name}] buffer cursor {path} is corrupt; replaying the whole buffer (duplicates possible)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Warn($"[output:{name}] cannot read buffer cursor {path} ({ex.Message}); replaying the whole buffer");
        }
        return null;
    }

    private static List<long> ListSegments(string directory)
    {
        var ids = new List<long>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + SegmentExtension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
        }
        ids.Sort();
        return ids;
    }

    private void Recover(List<long> segmentIds, BufferPosition cursor)
    {
        foreach (var id in segmentIds)
        {
            if (id < cursor.SegmentId)
            {
                TryDelete(SegmentPath(id));
                continue;
            }
            try
            {
                RecoverSegment(id, cursor);
                _segments.Add(id);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.Error($"[output:{_name}] cannot read buffer segment {SegmentPath(id)} ({ex.Message}); skipped");
            }
        }
        RecoveredFrames = _pending.Count;
        if (_pending.Count > 0)
        {
            _log.Info($"[output:{_name}] replaying {_pending.Count} buffered batches ({_bufferedBytes} bytes) from a previous run");
        }
        _counters.SetBufferedBytes(_bufferedBytes);
        PersistCursor(DesiredCursor());
    }

    private void RecoverSegment(long id, BufferPosition cursor)
    {
        var path = SegmentPath(id);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1);
        var fileLength = stream.Length;
        var offset = 0L;
        var frame = new byte[64 * 1024];
        Span<byte> header = stackalloc byte[8];
        string? problem = null;
        while (offset < fileLength)
        {
            if (fileLength - offset < BufferFrame.Overhead)
            {
                problem = "torn frame header";
                break;
            }
            stream.Position = offset;
            stream.ReadExactly(header);
            var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (payloadLength < 0 || payloadLength > MaxPayloadLength || offset + payloadLength + BufferFrame.Overhead > fileLength)
            {
                problem = "torn frame";
                break;
            }
            var size = payloadLength + BufferFrame.Overhead;
            if (frame.Length < size)
            {
                frame = new byte[size];
            }
            header.CopyTo(frame);
            stream.ReadExactly(frame.AsSpan(8, size - 8));
            if (!IsValidFrame(frame.AsSpan(0, size), payloadLength))
            {
                problem = "crc mismatch";
                break;
            }
            if (id > cursor.SegmentId || offset >= cursor.Offset)
            {
                var records = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(size - 4));
                var recovered = new BufferFrame(new BufferPosition(id, offset), payloadLength, records);
                _pending.Enqueue(recovered);
                _bufferedBytes += recovered.Size;
            }
            offset += size;
        }
        if (problem is not null)
        {
            var cut = fileLength - offset;
            TruncatedBytes += cut;
            stream.SetLength(offset);
            stream.Flush(flushToDisk: true);
            _log.Warn($"[output:{_name}] buffer segment {path}: {problem} at offset {offset}; truncated {cut} bytes");
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Warn($"[output:{_name}] cannot delete acknowledged buffer segment {path}: {ex.Message}");
        }
    }
}
