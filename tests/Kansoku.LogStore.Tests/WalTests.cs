using Kansoku.Core.Labels;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

public sealed class WalTests : IDisposable
{
    private static readonly LabelSet s_labels = LabelSet.From(("app", "wal"));
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static LogStorageOptions NoFinalFlush => Options() with { FlushOnDispose = false };

    private string LastSegment() => Directory.GetFiles(_directory.Combine("wal"), "*.wal").Order(StringComparer.Ordinal).Last();

    private async Task WriteThree()
    {
        using var storage = LogStorage.Open(_directory.Path, NoFinalFlush);
        for (var i = 1; i <= 3; i++)
        {
            await Append(storage, Batch(s_labels, (TodayNanos + i, $"entry {i}")));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    public async Task A_torn_last_record_is_cut_off_and_the_rest_replays(int bytesCut)
    {
        await WriteThree();
        var segment = LastSegment();
        var length = new FileInfo(segment).Length;
        using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.SetLength(length - bytesCut);
        }
        var messages = new List<string>();
        using (var storage = LogStorage.Open(_directory.Path, NoFinalFlush with { Log = messages.Add }))
        {
            Assert.Equal(["entry 1", "entry 2"], ReadStream(storage, Select([LabelMatcher.Equal("app", "wal")])).Select(e => e.Line));
            Assert.Contains(messages, m => m.Contains("torn tail", StringComparison.Ordinal));
            await Append(storage, Batch(s_labels, (TodayNanos + 4, "entry 4")));
        }
        using (var storage = LogStorage.Open(_directory.Path, NoFinalFlush))
        {
            Assert.Equal(["entry 1", "entry 2", "entry 4"], ReadStream(storage, Select([LabelMatcher.Equal("app", "wal")])).Select(e => e.Line));
        }
    }

    [Fact]
    public async Task A_flipped_byte_fails_the_crc_and_replay_stops_there()
    {
        await WriteThree();
        var segment = LastSegment();
        var bytes = File.ReadAllBytes(segment);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(segment, bytes);
        using var storage = LogStorage.Open(_directory.Path, NoFinalFlush);
        Assert.Equal(["entry 1", "entry 2"], ReadStream(storage, Select([LabelMatcher.Equal("app", "wal")])).Select(e => e.Line));
    }

    [Fact]
    public async Task Flush_deletes_the_segments_it_made_redundant()
    {
        using var storage = LogStorage.Open(_directory.Path, Options());
        await Append(storage, Batch(s_labels, (TodayNanos, "a")));
        await Append(storage, Batch(s_labels, (TodayNanos + 1, "b")));
        var before = Directory.GetFiles(_directory.Combine("wal"));
        await storage.FlushAsync();
        var after = Directory.GetFiles(_directory.Combine("wal"));
        Assert.Empty(after.Intersect(before));
        Assert.Equal(1, storage.Status().Parts);
        Assert.Equal(0, storage.Status().HeadBytes);
    }

    [Fact]
    public async Task Concurrent_appends_share_fsyncs()
    {
        using var storage = LogStorage.Open(_directory.Path, Options());
        var appends = Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => Append(storage, Batch(LabelSet.From(("app", "w" + (i % 7))), (TodayNanos + i, $"line {i}")))));
        await Task.WhenAll(appends);
        Assert.Equal(200, storage.Counters.EntriesAppended);
        Assert.True(storage.Counters.WalSyncs < 200, $"{storage.Counters.WalSyncs} fsyncs for 200 appends");
        Assert.Equal(200, Read(storage, Select([new LabelMatcher(LabelMatchType.RegexMatch, "app", "w.")])).Sum(s => s.Entries.Count));
    }
}
