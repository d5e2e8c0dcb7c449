using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

/// <summary>
/// Random appends interleaved with flushes, merges and reopens, then random queries, against a list of what was appended.
/// The model: per stream, entries deduplicated by (time, line), ordered by time; entries with equal timestamps are
/// compared as sets (which copy of a duplicate survives differs by direction).
/// </summary>
public sealed class ModelTests
{
    // Plain lines and JSON objects, so blocks mix lines kept whole with lines stored column-wise.
    private static readonly string[] s_lines =
    [
        "alpha one", "beta two", "alphabet soup", "gamma", "omega three", "x",
        """{"level":"info","msg":"alpha one"}""", """{"level":"warn","msg":"beta two","n":3}""",
        """ { "a" : { "b" : [1, 2] }, "msg" : "omega three" } """, """{"msg":"soup","msg":"x"}""", """{}""",
    ];
    private static readonly string[] s_needles = ["alpha", "beta two", "soup", "zzzz", "a", "three"];
    private static readonly LabelSet[] s_streams =
    [
        LabelSet.From(("app", "a"), ("env", "prod")),
        LabelSet.From(("app", "b"), ("env", "prod")),
        LabelSet.From(("app", "a"), ("env", "dev"), ("zone", "z1")),
    ];

    public sealed record Op(int Kind, int Stream, int Day, int Time, int Line);

    public sealed record Query(int Matcher, int StartDay, int StartTime, int Span, bool Backward, int Needle);

    private static Gen<Op> OpGen =>
        from kind in Gen.Frequency((12, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)))
        from stream in Gen.Choose(0, s_streams.Length - 1)
        from day in Gen.Choose(0, 2)
        from time in Gen.Choose(0, 12)
        from line in Gen.Choose(0, s_lines.Length - 1)
        select new Op(kind, stream, day, time, line);

    private static Gen<Query> QueryGen =>
        from matcher in Gen.Choose(0, 5)
        from startDay in Gen.Choose(0, 2)
        from startTime in Gen.Choose(0, 12)
        from span in Gen.Choose(1, 3 * 14)
        from backward in Gen.Elements(false, true)
        from needle in Gen.Choose(-3, s_needles.Length - 1)
        select new Query(matcher, startDay, startTime, span, backward, needle);

    private static long Timestamp(int day, int time) => TodayNanos - (day * Day) + (time * Day / 13);

    private static LabelMatcher[] Matchers(int which) => which switch
    {
        0 => [LabelMatcher.Equal("app", "a")],
        1 => [LabelMatcher.Equal("env", "prod")],
        2 => [new LabelMatcher(LabelMatchType.RegexMatch, "app", "a|b"), LabelMatcher.Equal("zone", "")],
        3 => [new LabelMatcher(LabelMatchType.NotEqual, "zone", "")],
        4 => [new LabelMatcher(LabelMatchType.RegexNoMatch, "env", "dev")],
        _ => [new LabelMatcher(LabelMatchType.RegexMatch, "app", ".+")],
    };

    [Property(MaxTest = 40)]
    public Property Store_answers_like_the_model() =>
        Prop.ForAll(OpGen.ListOf().ToArbitrary(), QueryGen.ListOf().ToArbitrary(), (ops, queries) => Check(ops, queries));

    private static bool Check(IList<Op> ops, IList<Query> queries)
    {
        using var directory = new TempDirectory();
        var options = Options() with { WalSync = WalSyncMode.Periodic, WalSyncInterval = TimeSpan.FromHours(1), BlockRawBytes = 1 << 10, BlockMaxEntries = 16 };
        var model = s_streams.Select(_ => new List<(long Timestamp, string Line)>()).ToArray();
        var storage = LogStorage.Open(directory.Path, options);
        try
        {
            foreach (var op in ops)
            {
                switch (op.Kind)
                {
                    case 0:
                        var batch = Batch(s_streams[op.Stream], (Timestamp(op.Day, op.Time), s_lines[op.Line]));
                        storage.AppendAsync([batch], CancellationToken.None).AsTask().GetAwaiter().GetResult();
                        model[op.Stream].Add((Timestamp(op.Day, op.Time), s_lines[op.Line]));
                        break;
                    case 1:
                        storage.FlushAsync().GetAwaiter().GetResult();
                        break;
                    case 2:
                        while (storage.MergeOnce())
                        {
                        }
                        break;
                    default:
                        storage.Dispose();
                        storage = LogStorage.Open(directory.Path, options with { FlushOnDispose = op.Line % 2 == 0 });
                        break;
                }
            }
            foreach (var query in queries)
            {
                var start = Timestamp(query.StartDay, query.StartTime);
                var end = start + (query.Span * Day / 13);
                var matchers = Matchers(query.Matcher);
                string[] needles = query.Needle < 0 ? [] : [s_needles[query.Needle]];
                // A reader may come back empty (time ranges are checked per block, needles per line): compare the non-empty ones.
                var actual = Read(storage, Select(matchers, start, end, query.Backward ? LogDirection.Backward : LogDirection.Forward, needles))
                    .Where(s => s.Entries.Count > 0).ToList();
                var expected = new List<(LabelSet Labels, List<(long Timestamp, string Line)> Entries)>();
                for (var s = 0; s < s_streams.Length; s++)
                {
                    if (!matchers.All(m => m.Matches(s_streams[s])))
                    {
                        continue;
                    }
                    var entries = model[s].Distinct()
                        .Where(e => e.Timestamp >= start && e.Timestamp < end && needles.All(n => e.Line.Contains(n, StringComparison.Ordinal)))
                        .OrderBy(e => e.Timestamp).ToList();
                    if (query.Backward)
                    {
                        entries.Reverse();
                    }
                    if (entries.Count > 0)
                    {
                        expected.Add((s_streams[s], entries));
                    }
                }
                expected.Sort((a, b) => Index.LabelSetOrder.ByLabels(a.Labels, b.Labels));
                if (!Same(expected, actual))
                {
                    Assert.Fail($"query {query}: expected {Show(expected)} got {Show(actual)}");
                }
            }
            return true;
        }
        finally
        {
            storage.Dispose();
        }
    }

    private static bool Same(
        List<(LabelSet Labels, List<(long Timestamp, string Line)> Entries)> expected,
        List<(LabelSet Labels, List<(long Timestamp, string Line)> Entries)> actual)
    {
        if (expected.Count != actual.Count)
        {
            return false;
        }
        for (var i = 0; i < expected.Count; i++)
        {
            if (!expected[i].Labels.Equals(actual[i].Labels)
                || !expected[i].Entries.Select(e => e.Timestamp).SequenceEqual(actual[i].Entries.Select(e => e.Timestamp))
                || !Groups(expected[i].Entries).SequenceEqual(Groups(actual[i].Entries)))
            {
                return false;
            }
        }
        return true;
    }

    private static string Show(List<(LabelSet Labels, List<(long Timestamp, string Line)> Entries)> streams) =>
        string.Join("; ", streams.Select(s => s.Labels + ": " + string.Join(", ", s.Entries.Select(e => $"{(e.Timestamp - TodayNanos) / (Day / 13)}={e.Line}"))));

    private static IEnumerable<string> Groups(List<(long Timestamp, string Line)> entries) =>
        entries.GroupBy(e => e.Timestamp).Select(g => g.Key + ":" + string.Join("|", g.Select(e => e.Line).Order(StringComparer.Ordinal)));
}
