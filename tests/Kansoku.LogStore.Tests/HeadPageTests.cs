using Kansoku.Core.Labels;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

/// <summary>Head pages are reused after a flush, but never while a reader may still read them.</summary>
public sealed class HeadPageTests : IDisposable
{
    private static readonly LabelSet s_first = LabelSet.From(("app", "first"));
    private static readonly LabelSet s_second = LabelSet.From(("app", "second"));

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static long T(int index) => TodayNanos + (index * Second);

    private static (long, string)[] Lines(string prefix, int count)
    {
        var lines = new (long, string)[count];
        for (var i = 0; i < count; i++)
        {
            lines[i] = (T(i), $"{prefix} {i:D6} {new string((char)('a' + (i % 26)), 200)}");
        }
        return lines;
    }

    [Fact]
    public async Task A_reader_keeps_its_pages_across_a_flush_and_the_next_head_reuses_them_after()
    {
        using var storage = LogStorage.Open(_directory.Path, Options());
        var first = Lines("first", 2000);
        await Append(storage, Batch(s_first, first));
        var readers = storage.Select(Select([LabelMatcher.Equal("app", "first")]));
        var reader = Assert.Single(readers);

        // Written to a part: the partition lets the head go, but the reader still holds it.
        await storage.FlushAsync();
        Assert.Equal(0, storage.Status().IdleHeadPageBytes);
        await Append(storage, Batch(s_second, Lines("second", 2000)));

        using (reader)
        {
            var read = new List<(long, string)>();
            while (reader.MoveNext())
            {
                read.Add((reader.Timestamp, System.Text.Encoding.UTF8.GetString(reader.Line)));
            }
            Assert.Equal(first, read);
        }
        Assert.True(storage.Status().IdleHeadPageBytes > 0, "the flushed head's pages went back to the pool once its reader was done");

        // The second stream's head takes pooled pages; its entries and the first stream's part read back intact.
        var idle = storage.Status().IdleHeadPageBytes;
        await Append(storage, Batch(s_first, Lines("again", 2000)));
        Assert.True(storage.Status().IdleHeadPageBytes < idle);
        Assert.Equal(Lines("second", 2000), ReadStream(storage, Select([LabelMatcher.Equal("app", "second")])));
        var firstStream = ReadStream(storage, Select([LabelMatcher.Equal("app", "first")]));
        Assert.Equal(4000, firstStream.Count);
        Assert.Contains(first[1999], firstStream);
        Assert.Contains(Lines("again", 2000)[1999], firstStream);
    }
}
