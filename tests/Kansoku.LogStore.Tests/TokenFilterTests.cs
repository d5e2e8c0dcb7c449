using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Core.Labels;
using Kansoku.LogStore.Index;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

public sealed class TokenFilterTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static (byte[] Filter, int Log2) Build(IReadOnlyList<string> lines)
    {
        var bytes = lines.Select(l => Encoding.UTF8.GetBytes(l)).ToArray();
        var output = new ArrayBufferWriter<byte>();
        var log2 = TokenFilter.Build(bytes.SelectMany(b => b).ToArray(), bytes.Select(b => b.Length).ToArray(), output);
        Assert.Equal(TokenFilter.ByteLength(log2), output.WrittenCount);
        return (output.WrittenSpan.ToArray(), log2);
    }

    [Property(MaxTest = 200)]
    public Property Every_substring_of_a_line_passes_the_filter()
    {
        var lines = Gen.Elements("ab", "cd", "trace", "0f", "=", " ", "\"", "é", "id:").ArrayOf().Select(parts => string.Concat(parts)).NonEmptyListOf();
        var pick = from ls in lines
                   from index in Gen.Choose(0, ls.Count - 1)
                   let line = Encoding.UTF8.GetBytes(ls[index])
                   from start in Gen.Choose(0, line.Length)
                   from length in Gen.Choose(0, line.Length - start)
                   select (ls, line.AsSpan(start, length).ToArray());
        return Prop.ForAll(pick.ToArbitrary(), t =>
        {
            var (filter, log2) = Build(t.Item1);
            return TokenFilter.MayContain(filter, log2, t.Item2);
        });
    }

    [Fact]
    public void Absent_needles_are_mostly_rejected_and_repetitive_blocks_get_small_filters()
    {
        var random = new Random(7);
        var lines = Enumerable.Range(0, 2000).Select(i => $"{{\"level\":\"info\",\"trace_id\":\"{random.NextInt64():x16}{random.NextInt64():x16}\",\"n\":{i}}}").ToList();
        var (filter, log2) = Build(lines);
        // 2000 random 32-digit ids fill most of the 65536 hex 4-grams, so short hex needles get through more often.
        var rejected = Enumerable.Range(0, 1000).Count(_ =>
            !TokenFilter.MayContain(filter, log2, Encoding.UTF8.GetBytes($"{random.NextInt64():x16}{random.NextInt64():x16}")));
        Assert.True(rejected >= 995, $"{rejected} of 1000 absent trace ids rejected");
        var rejectedShort = Enumerable.Range(0, 1000).Count(_ =>
            !TokenFilter.MayContain(filter, log2, Encoding.UTF8.GetBytes($"{random.NextInt64():x16}"[..12])));
        Assert.True(rejectedShort >= 850, $"{rejectedShort} of 1000 absent 12-digit needles rejected");

        var (small, _) = Build(Enumerable.Repeat("GET /health 200 OK", 2000).ToList());
        Assert.True(small.Length <= 64, $"{small.Length} bytes for one repeated line");
    }

    [Fact]
    public async Task A_needle_query_reads_only_the_blocks_that_may_hold_it()
    {
        using var storage = LogStorage.Open(_directory.Path, Options() with { BlockRawBytes = 2 << 10 });
        var labels = LabelSet.From(("app", "needle"));
        var random = new Random(3);
        var ids = Enumerable.Range(0, 4000).Select(_ => $"{random.NextInt64():x16}").ToArray();
        var batch = new Kansoku.Storage.Logs.LogStreamBatch(labels);
        for (var i = 0; i < ids.Length; i++)
        {
            batch.Entries.Add(new(TodayNanos + i, Encoding.UTF8.GetBytes($"level=info msg=\"request done\" request_id={ids[i]} took={i % 97}ms")));
        }
        await storage.AppendAsync([batch], CancellationToken.None);
        await storage.FlushAsync();

        var before = storage.Counters.BlocksRead;
        Assert.Equal(4000, ReadStream(storage, Select([LabelMatcher.Equal("app", "needle")])).Count);
        var allBlocks = storage.Counters.BlocksRead - before;
        Assert.True(allBlocks > 50, $"{allBlocks} blocks");

        before = storage.Counters.BlocksRead;
        var skippedBefore = storage.Counters.BlocksSkippedByFilter;
        var found = ReadStream(storage, Select([LabelMatcher.Equal("app", "needle")], needles: ids[1234][2..]));
        Assert.Equal([(TodayNanos + 1234, $"level=info msg=\"request done\" request_id={ids[1234]} took={1234 % 97}ms")], found);
        var needleBlocks = storage.Counters.BlocksRead - before;
        Assert.True(needleBlocks <= 3, $"{needleBlocks} of {allBlocks} blocks read for a needle");
        Assert.True(storage.Counters.BlocksSkippedByFilter - skippedBefore >= allBlocks - 3);

        // Short needles cannot use the filter but still find their lines.
        Assert.Equal(4000 / 97 + 1, ReadStream(storage, Select([LabelMatcher.Equal("app", "needle")], needles: "=0m")).Count);
    }
}
