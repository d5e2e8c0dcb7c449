using System.Globalization;
using Kansoku.Core.Labels;

namespace Kansoku.Tsdb.Tests.Blocks;

public sealed class BlockIndexTests : IAsyncLifetime
{
    private readonly TsdbFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task A_block_index_answers_every_matcher_as_the_head_did()
    {
        await using var store = _fixture.Open();
        var random = new Random(11);
        string[] values = ["a", "b", "api", "api-1", "bpi-1", "x-1", "ünï", "a\"b"];
        var appender = store.Appender();
        for (var i = 0; i < 400; i++)
        {
            var labels = new List<(string, string)> { ("__name__", "m" + (i % 4).ToString(CultureInfo.InvariantCulture)) };
            foreach (var name in new[] { "job", "env", "zone" })
            {
                if (random.Next(3) > 0)
                {
                    labels.Add((name, values[random.Next(values.Length)]));
                }
            }
            appender.Append(0, LabelSet.From([.. labels]), 1000 + i, i);
        }
        appender.Commit();
        LabelMatcher[][] selectors =
        [
            [LabelMatcher.Equal("__name__", "m1")],
            [new(LabelMatchType.RegexMatch, "job", "a|api.*"), new(LabelMatchType.NotEqual, "env", "b")],
            [new(LabelMatchType.RegexNoMatch, "zone", "x-1|ünï"), new(LabelMatchType.RegexMatch, "__name__", ".+")],
            [new(LabelMatchType.RegexMatch, "env", ".*"), LabelMatcher.Equal("zone", ""), new(LabelMatchType.RegexMatch, "__name__", "m[02]")],
            [new(LabelMatchType.RegexMatch, "job", "(a|b)pi-.*"), new(LabelMatchType.NotEqual, "__name__", "")],
        ];
        var fromHead = Answers(store, selectors);

        store.CompactAll();

        Assert.Single(store.Blocks);
        Assert.Equal(fromHead, Answers(store, selectors));
        Assert.All(fromHead, answer => Assert.NotEmpty(answer));
    }

    [Fact]
    public async Task Queries_running_alongside_appends_see_whole_committed_prefixes()
    {
        await using var store = _fixture.Open();
        var labels = TsdbFixture.Labels(0);
        var writer = Task.Run(() =>
        {
            var reference = 0UL;
            for (var t = 0L; t < 3000; t++)
            {
                var appender = store.Appender();
                reference = appender.Append(reference, labels, t, t);
                appender.Commit();
            }
        });
        while (!writer.IsCompleted)
        {
            using var querier = store.Querier(0, long.MaxValue);
            foreach (var series in querier.Select([LabelMatcher.Equal("job", "node")]))
            {
                var samples = Samples.Read(series);
                for (var i = 0; i < samples.Count; i++)
                {
                    Assert.Equal((i, (double)i), samples[i]);
                }
            }
        }
        await writer;
        using var final = store.Querier(0, long.MaxValue);
        Assert.Equal(3000, Samples.Read(Assert.Single(final.Select([LabelMatcher.Equal("job", "node")]))).Count);
    }

    private static List<List<string>> Answers(Tsdb store, LabelMatcher[][] selectors)
    {
        using var querier = store.Querier(0, 10_000);
        return [.. selectors.Select(selector => querier.Select(selector).Select(s => s.Labels + " " + Samples.Read(s).Count).ToList())];
    }
}
