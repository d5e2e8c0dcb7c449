using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Kansoku.Agent.Outputs.Buffering;
using Kansoku.Agent.Pipeline;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Outputs;

public sealed class DiskBufferTests
{
    private static DiskBuffer Open(string directory, ComponentCounters? counters = null, DiskBufferOptions? options = null, StringWriter? log = null) =>
        DiskBuffer.Open(directory, options ?? DiskBufferOptions.Default, counters ?? new ComponentCounters("output", "t"),
            log is null ? AgentLog.Null : new AgentLog(log), "t");

    private static byte[] Payload(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<string> ReadAllAsync(DiskBuffer buffer, int maxBytes = 1 << 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var batch = await buffer.ReadAsync(maxBytes, timeout.Token);
        return Encoding.UTF8.GetString(batch.Ndjson.Span);
    }

    [Fact]
    public async Task Batches_survive_a_restart_and_are_merged_on_read()
    {
        using var dir = new TempDirectory();
        using (var buffer = Open(dir.Path))
        {
            Assert.True(await buffer.AppendAsync(Payload("{\"a\":1}\n"), 1, default));
            Assert.True(await buffer.AppendAsync(Payload("{\"a\":2}\n{\"a\":3}\n"), 2, default));
            Assert.True(await buffer.AppendAsync(Payload("{\"a\":4}"), 1, default));
        }
        using (var buffer = Open(dir.Path))
        {
            Assert.Equal(3, buffer.RecoveredFrames);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var batch = await buffer.ReadAsync(1 << 20, timeout.Token);
            Assert.Equal(4, batch.RecordCount);
            Assert.Equal(3, batch.FrameCount);
            Assert.Equal("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n", Encoding.UTF8.GetString(batch.Ndjson.Span));
            buffer.Acknowledge();
            Assert.Equal(0, buffer.BufferedBytes);
        }
        using (var buffer = Open(dir.Path))
        {
            Assert.Equal(0, buffer.RecoveredFrames);
        }
    }

    [Fact]
    public async Task Only_unacknowledged_batches_are_replayed()
    {
        using var dir = new TempDirectory();
        using (var buffer = Open(dir.Path))
        {
            await buffer.AppendAsync(Payload("first\n"), 1, default);
            await buffer.AppendAsync(Payload("second\n"), 1, default);
            Assert.Equal("first\n", await ReadAllAsync(buffer, maxBytes: 1));
            buffer.Acknowledge();
            // The second batch is read (in flight) but never acknowledged: a crash now must replay it.
            Assert.Equal("second\n", await ReadAllAsync(buffer, maxBytes: 1));
        }
        using (var buffer = Open(dir.Path))
        {
            Assert.Equal(1, buffer.RecoveredFrames);
            Assert.Equal("second\n", await ReadAllAsync(buffer));
        }
    }

    [Fact]
    public async Task A_torn_tail_is_truncated_and_the_rest_recovered()
    {
        using var dir = new TempDirectory();
        using (var buffer = Open(dir.Path))
        {
            await buffer.AppendAsync(Payload("one\n"), 1, default);
            await buffer.AppendAsync(Payload("two\n"), 1, default);
        }
        var segment = Directory.GetFiles(dir.Path, "*.seg").Select(f => new FileInfo(f)).Single(f => f.Length > 0);
        var intact = segment.Length;
        // A crash mid-append: a header announcing 1000 bytes, followed by only a few.
        await using (var stream = new FileStream(segment.FullName, FileMode.Append))
        {
            stream.Write([0xE8, 0x03, 0, 0, 1, 2, 3, 4, (byte)'x', (byte)'y']);
        }
        var log = new StringWriter();
        using (var buffer = Open(dir.Path, log: log))
        {
            Assert.Equal(2, buffer.RecoveredFrames);
            Assert.Equal(10, buffer.TruncatedBytes);
            Assert.Equal("one\ntwo\n", await ReadAllAsync(buffer));
        }
        Assert.Equal(intact, new FileInfo(segment.FullName).Length);
        Assert.Contains("truncated 10 bytes", log.ToString());
    }

    [Fact]
    public async Task A_crc_mismatch_cuts_the_segment_at_the_bad_frame()
    {
        using var dir = new TempDirectory();
        using (var buffer = Open(dir.Path))
        {
            await buffer.AppendAsync(Payload("good\n"), 1, default);
            await buffer.AppendAsync(Payload("flipped\n"), 1, default);
            await buffer.AppendAsync(Payload("after\n"), 1, default);
        }
        var segment = Directory.GetFiles(dir.Path, "*.seg").Single(f => new FileInfo(f).Length > 0);
        var bytes = await File.ReadAllBytesAsync(segment);
        var firstFrame = 12 + "good\n".Length;
        bytes[firstFrame + 8] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);
        using var reopened = Open(dir.Path);
        Assert.Equal(1, reopened.RecoveredFrames);
        Assert.Equal(bytes.Length - firstFrame, reopened.TruncatedBytes);
        Assert.Equal("good\n", await ReadAllAsync(reopened));
    }

    [Fact]
    public async Task Garbage_files_never_stop_recovery()
    {
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, "000000000001.seg"), [1, 2, 3]);
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, "cursor"), [9, 9]);
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "notes.txt"), "ignored");
        using var buffer = Open(dir.Path);
        Assert.Equal(0, buffer.RecoveredFrames);
        Assert.Equal(3, buffer.TruncatedBytes);
        await buffer.AppendAsync(Payload("fresh\n"), 1, default);
        Assert.Equal("fresh\n", await ReadAllAsync(buffer));
    }

    [Fact]
    public async Task Acknowledged_segments_are_deleted()
    {
        using var dir = new TempDirectory();
        var options = new DiskBufferOptions(1 << 20, 4096, BufferFullAction.Block);
        using var buffer = Open(dir.Path, options: options);
        var payload = Payload(new string('x', 3000) + "\n");
        for (var i = 0; i < 5; i++)
        {
            await buffer.AppendAsync(payload, 1, default);
        }
        Assert.True(Directory.GetFiles(dir.Path, "*.seg").Length >= 5);
        for (var i = 0; i < 5; i++)
        {
            await ReadAllAsync(buffer, maxBytes: 1);
            buffer.Acknowledge();
        }
        Assert.Single(Directory.GetFiles(dir.Path, "*.seg"));
        Assert.Equal(0, buffer.BufferedBytes);
    }

    [Fact]
    public async Task A_full_buffer_blocks_the_appender_until_the_reader_frees_space()
    {
        using var dir = new TempDirectory();
        var counters = new ComponentCounters("output", "t");
        var payload = Payload(new string('x', 100) + "\n");
        var frame = payload.Length + 12;
        using var buffer = Open(dir.Path, counters, new DiskBufferOptions(2 * frame, 1 << 20, BufferFullAction.Block));
        await buffer.AppendAsync(payload, 1, default);
        await buffer.AppendAsync(payload, 1, default);
        var third = buffer.AppendAsync(payload, 1, default).AsTask();
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        Assert.Equal(2 * frame, counters.BufferedBytes);

        await ReadAllAsync(buffer, maxBytes: 1);
        buffer.Acknowledge();
        Assert.True(await third.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, counters.DroppedRecords);
    }

    [Fact]
    public async Task Drop_newest_discards_the_incoming_batch_and_counts_it()
    {
        using var dir = new TempDirectory();
        var counters = new ComponentCounters("output", "t");
        var payload = Payload("{\"n\":1}\n{\"n\":2}\n");
        using var buffer = Open(dir.Path, counters, new DiskBufferOptions(payload.Length + 12, 1 << 20, BufferFullAction.DropNewest));
        Assert.True(await buffer.AppendAsync(payload, 2, default));
        Assert.False(await buffer.AppendAsync(Payload("{\"n\":3}\n"), 1, default));
        Assert.Equal(1, counters.DroppedRecords);
        Assert.Equal("{\"n\":1}\n{\"n\":2}\n", await ReadAllAsync(buffer));
    }

    [Fact]
    public async Task Drop_oldest_discards_queued_batches_and_counts_them()
    {
        using var dir = new TempDirectory();
        var counters = new ComponentCounters("output", "t");
        var frame = Payload("b1\n").Length + 12;
        using (var buffer = Open(dir.Path, counters, new DiskBufferOptions(2 * frame, 1 << 20, BufferFullAction.DropOldest)))
        {
            await buffer.AppendAsync(Payload("b1\n"), 3, default);
            await buffer.AppendAsync(Payload("b2\n"), 1, default);
            Assert.True(await buffer.AppendAsync(Payload("b3\n"), 1, default));
            Assert.Equal(3, counters.DroppedRecords);
            Assert.Equal("b2\nb3\n", await ReadAllAsync(buffer));
        }
        // The dropped batch stays dropped after a restart.
        using var reopened = Open(dir.Path);
        Assert.Equal(2, reopened.RecoveredFrames);
    }

    [Fact]
    public async Task Drain_reports_whether_the_buffer_emptied_in_time()
    {
        using var dir = new TempDirectory();
        using var buffer = Open(dir.Path);
        Assert.True(await buffer.WaitUntilEmptyAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));
        await buffer.AppendAsync(Payload("x\n"), 1, default);
        Assert.False(await buffer.WaitUntilEmptyAsync(TimeSpan.FromMilliseconds(50), TimeProvider.System, default));
        var drained = buffer.WaitUntilEmptyAsync(TimeSpan.FromSeconds(5), TimeProvider.System, default);
        await ReadAllAsync(buffer);
        buffer.Acknowledge();
        Assert.True(await drained);
    }

    [Property(MaxTest = 15)]
    public bool Whatever_is_appended_reads_back_identically_after_a_restart(NonEmptyArray<NonEmptyString> batches)
    {
        using var dir = new TempDirectory();
        var expected = new StringBuilder();
        using (var buffer = Open(dir.Path, options: new DiskBufferOptions(1 << 20, 4096, BufferFullAction.Block)))
        {
            foreach (var batch in batches.Get)
            {
                var line = batch.Get.Replace('\n', ' ') + "\n";
                expected.Append(line);
                buffer.AppendAsync(Payload(line), 1, default).AsTask().GetAwaiter().GetResult();
            }
        }
        using var reopened = Open(dir.Path);
        var read = ReadAllAsync(reopened, int.MaxValue).GetAwaiter().GetResult();
        return read == expected.ToString() && reopened.RecoveredFrames == batches.Get.Length;
    }
}
