using Kansoku.Core.Labels;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

public sealed class MergeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static readonly LabelMatcher[] s_all = [new(LabelMatchType.RegexMatch, "app", ".+")];

    private static async Task FlushedRounds(LogStorage storage, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            var batches = Enumerable.Range(0, 3).Select(s => Batch(LabelSet.From(("app", "m" + s)),
                Enumerable.Range(0, 20).Select(i => (TodayNanos + (((i * rounds) + round) * Second), $"round {round} stream {s} line {i}")).ToArray())).ToArray();
            await Append(storage, batches);
            await storage.FlushAsync();
        }
    }

    private static List<string> Flatten(List<(LabelSet Labels, List<(long Timestamp, string Line)> Entries)> streams) =>
        streams.SelectMany(s => s.Entries.Select(e => $"{s.Labels} {e.Timestamp} {e.Line}")).ToList();

    private string PartitionDirectory => _directory.Combine("partitions", "20251125");

    [Fact]
    public async Task Merging_adjacent_parts_keeps_every_entry_in_order()
    {
        using var storage = LogStorage.Open(_directory.Path, Options());
        await FlushedRounds(storage, 6);
        Assert.Equal(6, storage.Status().Parts);
        var before = Read(storage, Select(s_all));

        while (storage.MergeOnce())
        {
        }
        Assert.True(storage.Status().Parts < 3, $"{storage.Status().Parts} parts after merging");
        Assert.Equal(Flatten(before), Flatten(Read(storage, Select(s_all))));
        Assert.Equal(storage.Status().Parts, Directory.GetFiles(PartitionDirectory).Length);
        Assert.All(before, s => Assert.Equal(s.Entries.OrderBy(e => e.Timestamp).ToList(), s.Entries));
    }

    [Fact]
    public async Task Full_blocks_that_overlap_nothing_are_copied_and_the_rest_re_encoded()
    {
        var labels = LabelSet.From(("app", "copy"));
        using var storage = LogStorage.Open(_directory.Path, Options() with { BlockRawBytes = 1 << 10, BlockMaxEntries = 1000 });
        // Three flushes of a stream arriving in order: each gives full blocks and a small last one.
        var expected = new List<(long, string)>();
        for (var round = 0; round < 3; round++)
        {
            var entries = Enumerable.Range(0, 100)
                .Select(i => (TodayNanos + (((round * 100) + i) * Second), $$"""{"round":{{round}},"line":{{i}},"msg":"in order {{new string('o', i % 13)}}"}"""))
                .ToArray();
            expected.AddRange(entries);
            await Append(storage, Batch(labels, entries));
            await storage.FlushAsync();
        }
        // A fourth whose entries fall among the first round's (and repeat one of them exactly: deduplicated).
        var late = Enumerable.Range(0, 10).Select(i => (TodayNanos + (i * Second) + 1, $"late {i}")).Append(expected[5]).ToArray();
        expected.AddRange(late.Take(10));
        await Append(storage, Batch(labels, late));
        await storage.FlushAsync();
        var blocksBefore = BlockCount(storage);

        Assert.True(storage.MergeOnce());
        Assert.Equal(1, storage.Status().Parts);
        Assert.True(storage.Counters.BlocksCopiedByMerges > 0, "blocks of the in-order rounds were copied");
        Assert.True(storage.Counters.BlocksCopiedByMerges < blocksBefore, "the blocks the late entries overlap were re-encoded");
        Assert.Equal(expected.OrderBy(e => e.Item1).ToList(), ReadStream(storage, Select([LabelMatcher.Equal("app", "copy")])));
        Assert.Equal(0, storage.Counters.CorruptBlocks);

        // Needle queries still skip blocks by the copied blocks' filters.
        Assert.Single(ReadStream(storage, Select([LabelMatcher.Equal("app", "copy")], needles: "\"round\":2,\"line\":42,")));
        Assert.True(storage.Counters.BlocksSkippedByFilter > 0);
    }

    private static long BlockCount(LogStorage storage) =>
        storage.Stats([LabelMatcher.Equal("app", "copy")], long.MinValue, long.MaxValue).Chunks;

    [Fact]
    public async Task Inputs_left_behind_by_a_crash_after_the_merge_are_deleted_at_open()
    {
        List<(LabelSet Labels, List<(long Timestamp, string Line)> Entries)> before;
        string[] inputs;
        var saved = _directory.Combine("saved");
        Directory.CreateDirectory(saved);
        using (var storage = LogStorage.Open(_directory.Path, Options()))
        {
            await FlushedRounds(storage, 2);
            before = Read(storage, Select(s_all));
            inputs = Directory.GetFiles(PartitionDirectory);
            foreach (var input in inputs)
            {
                File.Copy(input, Path.Combine(saved, Path.GetFileName(input)));
            }
            Assert.True(storage.MergeOnce());
        }
        foreach (var input in inputs)
        {
            File.Copy(Path.Combine(saved, Path.GetFileName(input)), input);
        }
        using (var storage = LogStorage.Open(_directory.Path, Options()))
        {
            Assert.Equal(1, storage.Status().Parts);
            Assert.Single(Directory.GetFiles(PartitionDirectory));
            Assert.Equal(Flatten(before), Flatten(Read(storage, Select(s_all))));
        }
    }
}
