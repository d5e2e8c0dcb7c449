using Kansoku.Core.Labels;
using Kansoku.LogStore.Parts;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

public sealed class CorruptionTests : IDisposable
{
    private static readonly LabelMatcher[] s_all = [LabelMatcher.Equal("app", "c")];
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private async Task<string[]> TwoParts()
    {
        using var storage = LogStorage.Open(_directory.Path, Options() with { BlockRawBytes = 1 << 10 });
        for (var part = 0; part < 2; part++)
        {
            var batch = Batch(LabelSet.From(("app", "c")),
                Enumerable.Range(0, 100).Select(i => (TodayNanos + (part * 1000) + i, $"part {part} line {i} {new string('z', i)}")).ToArray());
            await Append(storage, batch);
            await storage.FlushAsync();
        }
        return Directory.GetFiles(_directory.Combine("partitions", "20251125")).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task A_part_with_a_broken_footer_is_reported_and_skipped()
    {
        var parts = await TwoParts();
        var bytes = File.ReadAllBytes(parts[0]);
        File.WriteAllBytes(parts[0], bytes[..^5]);
        var messages = new List<string>();
        using var storage = LogStorage.Open(_directory.Path, Options() with { Log = messages.Add });
        Assert.Equal([parts[0]], storage.Status().CorruptParts);
        Assert.Contains(messages, m => m.Contains(Path.GetFileName(parts[0]), StringComparison.Ordinal));
        Assert.Equal(100, ReadStream(storage, Select(s_all)).Count);
    }

    [Fact]
    public async Task A_damaged_block_is_reported_and_the_rest_is_read()
    {
        var parts = await TwoParts();
        var bytes = File.ReadAllBytes(parts[1]);
        bytes[PartFile.HeaderBytes + 3] ^= 0xFF;
        File.WriteAllBytes(parts[1], bytes);
        var messages = new List<string>();
        using var storage = LogStorage.Open(_directory.Path, Options() with { Log = m => { lock (messages) { messages.Add(m); } } });
        var entries = ReadStream(storage, Select(s_all));
        Assert.InRange(entries.Count, 150, 199);
        Assert.Equal(1, storage.Counters.CorruptBlocks);
        Assert.Contains(messages, m => m.Contains(Path.GetFileName(parts[1]), StringComparison.Ordinal) && m.Contains("CRC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Random_garbage_in_the_data_directory_does_not_stop_the_store()
    {
        await TwoParts();
        _directory.Write("partitions/20251125/0000000000000009-0000000000000009.part", "not a part at all");
        _directory.Write("partitions/notaday/x.part", "ignored");
        _directory.Write("partitions/20251125/0000000000000003-0000000000000003.part.tmp", "unfinished flush");
        using var storage = LogStorage.Open(_directory.Path, Options());
        Assert.Single(storage.Status().CorruptParts);
        Assert.Equal(200, ReadStream(storage, Select(s_all)).Count);
        Assert.False(File.Exists(_directory.Combine("partitions/20251125/0000000000000003-0000000000000003.part.tmp")));
    }
}
