namespace Kansoku.Tsdb.Tests.Blocks;

public sealed class RetentionTests : IAsyncLifetime
{
    private const long Hour = TsdbFixture.Hour;
    private readonly TsdbFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Blocks_older_than_the_retention_time_are_deleted()
    {
        await using var store = _fixture.Open(_fixture.Options(retention: TimeSpan.FromHours(6)));
        TsdbFixture.Fill(store, 3, 0, 14 * Hour);

        store.CompactAll();

        // Newest data at 14h: blocks ending at or before 8h go; a 6h retention also keeps blocks at 2h (no 6h merges).
        Assert.Equal([8 * Hour, 10 * Hour, 12 * Hour], store.Blocks.Select(b => b.Meta.MinTime));
        TsdbFixture.AssertHolds(store, 3, 8 * Hour, 14 * Hour);
        Assert.Equal(3, Directory.GetDirectories(_fixture.Directory.Path).Count(d => Path.GetFileName(d) != "wal"));
    }

    [Fact]
    public async Task Oldest_blocks_are_deleted_while_blocks_and_wal_exceed_the_size_limit()
    {
        long limit;
        await using (var store = _fixture.Open(_fixture.Options(retention: TimeSpan.FromHours(1))))
        {
            TsdbFixture.Fill(store, 5, 0, 8 * Hour);
            store.CompactAll();
            // Retention of 1h kept only the newest block; refill older ranges is not possible, so measure from here.
        }
        await using (var store = _fixture.Open())
        {
            TsdbFixture.Fill(store, 5, 8 * Hour, 16 * Hour);
            store.CompactAll();
            var blocks = store.Blocks;
            Assert.True(blocks.Count >= 3, $"{blocks.Count} blocks");
            var total = blocks.Sum(b => b.SizeBytes) + DirectorySize(_fixture.WalDirectory);
            limit = total - blocks[0].SizeBytes - blocks[1].SizeBytes + 1;
        }

        await using var limited = _fixture.Open(_fixture.Options(retentionBytes: limit));
        var before = limited.Blocks;
        limited.Compact();

        Assert.Equal(before.Skip(2).Select(b => b.Meta.Id), limited.Blocks.Select(b => b.Meta.Id));
        Assert.True(limited.Blocks.Sum(b => b.SizeBytes) + DirectorySize(_fixture.WalDirectory) <= limit);
    }

    private static long DirectorySize(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
