using System.IO.Hashing;
using Kansoku.Core.Labels;
using Kansoku.Testing;
using Kansoku.Tsdb.Blocks;
using Kansoku.Tsdb.Encoding;
using Kansoku.Tsdb.Index;

namespace Kansoku.Tsdb.Tests.Index;

public sealed class LegacyIndexTests
{
    /// <summary>A version-1 index, laid out byte by byte as docs/format/tsdb.md described it before version 2.</summary>
    [Fact]
    public void A_version_1_index_still_reads()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "index");
        string[] symbols = ["__name__", "a", "b", "job", "m"];
        var bytes = new ByteWriter(1024);
        bytes.WriteBytes("KSIX"u8);
        bytes.WriteBytes([1, 0, 0, 0]);
        bytes.WriteUVarint((ulong)symbols.Length);
        foreach (var symbol in symbols)
        {
            bytes.WriteString(symbol);
        }
        var seriesStart = bytes.Length;
        var offsets = new List<long>();
        // Series 0: {__name__="m", job="a"}, chunks [1000, 2000] at 8 and [3000, 4000] at 50; series 1: job="b", one chunk.
        foreach (var (job, chunks) in new[] { (1, new[] { (1000L, 2000L, 8L), (3000L, 4000L, 50L) }), (2, new[] { (5000L, 6000L, 90L) }) })
        {
            offsets.Add(bytes.Length);
            bytes.WriteUVarint(2);
            bytes.WriteUVarint(0);
            bytes.WriteUVarint(4);
            bytes.WriteUVarint(3);
            bytes.WriteUVarint((ulong)job);
            bytes.WriteUVarint((ulong)chunks.Length);
            long previousMax = 0, previousReference = 0;
            foreach (var (min, max, reference) in chunks)
            {
                bytes.WriteVarint(min - previousMax);
                bytes.WriteUVarint((ulong)(max - min));
                bytes.WriteVarint(reference - previousReference);
                previousMax = max;
                previousReference = reference;
            }
        }
        var seriesTable = bytes.Length;
        foreach (var offset in offsets)
        {
            bytes.WriteUInt64((ulong)offset);
        }
        bytes.WriteUInt64((ulong)seriesTable);
        var allPostings = bytes.Length;
        bytes.WriteBytes([2, 0, 1]);
        var lists = new List<(int Name, int Value, long Offset, int Length)>();
        foreach (var (name, value, ids) in new[] { (0, 4, new byte[] { 2, 0, 1 }), (3, 1, [1, 0]), (3, 2, [1, 1]) })
        {
            lists.Add((name, value, bytes.Length, ids.Length));
            bytes.WriteBytes(ids);
        }
        var postingsTable = bytes.Length;
        bytes.WriteUVarint((ulong)lists.Count);
        foreach (var (name, value, offset, length) in lists)
        {
            bytes.WriteUVarint((ulong)name);
            bytes.WriteUVarint((ulong)value);
            bytes.WriteUVarint((ulong)offset);
            bytes.WriteUVarint((ulong)length);
        }
        var toc = bytes.Length;
        foreach (var field in new long[] { seriesStart, seriesTable, 2, allPostings, postingsTable, symbols.Length })
        {
            bytes.WriteUInt64((ulong)field);
        }
        bytes.WriteUInt32(Crc32.HashToUInt32(bytes.Slice(toc, 48)));
        File.WriteAllBytes(path, bytes.WrittenSpan.ToArray());

        using var reader = new IndexReader(path);

        Assert.Equal([0UL, 1UL], reader.AllPostings());
        Assert.Equal([1UL], reader.Postings("job", "b"));
        var (labels, metas) = reader.Series(0);
        Assert.Equal(LabelSet.From(("__name__", "m"), ("job", "a")), labels);
        Assert.Equal([new(1000, 2000, 8), new(3000, 4000, 50)], metas);
        Assert.Equal(new ChunkMeta(5000, 6000, 90), Assert.Single(reader.Series(1).Chunks));
    }
}
