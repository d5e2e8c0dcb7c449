using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Core.Labels;
using Kansoku.LogQL.Engine;
using Kansoku.LogStore;
using Kansoku.Storage.Logs;
using Kansoku.Testing;

namespace Kansoku.Server.Tests;

/// <summary>
/// <c>| json</c> over lines the log store kept column-wise (read from their leaves) gives exactly what it gives over the
/// same lines stored whole (parsed): the same labels, values, errors and counts, for log and metric queries.
/// </summary>
public sealed class JsonLeavesQueryTests
{
    private const long Second = 1_000_000_000L;
    private static readonly long s_start = (DateTimeOffset.UtcNow.AddHours(-1) - DateTimeOffset.UnixEpoch).Ticks * 100;

    private static readonly string[] s_queries =
    [
        """{app="x"} | json""",
        """{app="x"} | json | __error__="" """,
        """{app="x"} | json | line_format "{{.msg}} {{.level}}" | json""",
        """{app="x"} | json | level="info" """,
        """sum by (level) (count_over_time({app="x"} | json | __error__="" [1h]))""",
        """sum by (level, msg) (count_over_time({app="x"} | json [1h]))""",
        """sum by (a_b, kA_extracted) (count_over_time({app="x"} | json | __error__="" [1h]))""",
        """count_over_time({app="x"} | json [1h])""",
        """sum by (n) (count_over_time({app="x"} | json | __error__="" | n > 0 [1h]))""",
    ];

    [Property(MaxTest = 40)]
    public Property Leaves_and_parsing_give_the_same_answers() =>
        Prop.ForAll(LineGen.NonEmptyListOf().ToArbitrary(), Gen.Elements(false, true).ToArbitrary(), (lines, kAIsStreamLabel) =>
        {
            using var shaped = new TempDirectory();
            using var whole = new TempDirectory();
            var labels = kAIsStreamLabel ? LabelSet.From(("app", "x"), ("kA", "stream")) : LabelSet.From(("app", "x"));
            using var columnWise = Filled(shaped.Path, jsonFieldColumns: true, labels, [.. lines]);
            using var asWritten = Filled(whole.Path, jsonFieldColumns: false, labels, [.. lines]);
            var end = s_start + ((lines.Count + 1) * Second);
            foreach (var query in s_queries)
            {
                Assert.Equal(Answer(asWritten, query, end), Answer(columnWise, query, end));
            }
            Assert.Equal(lines.Count, Answer(columnWise, s_queries[0], end).Split('|').Length + Answer(columnWise, s_queries[0], end).Split(';').Length - 1);
        });

    [Fact]
    public void Count_by_level_reads_the_leaves()
    {
        using var directory = new TempDirectory();
        var lines = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            lines.Add(i % 10 == 0 ? $"plain line {i}" : $$$"""{"level":"{{{(i % 3 == 0 ? "error" : "info")}}}","msg":"m{{{i}}}","kubernetes":{"pod":"p{{{i % 4}}}"}}""");
        }
        using var storage = Filled(directory.Path, jsonFieldColumns: true, LabelSet.From(("app", "x")), lines);
        var counting = new LeafCountingQuerier(storage);
        var answer = Answer(counting, """sum by (level, kubernetes_pod) (count_over_time({app="x"} | json | __error__="" [1h]))""", s_start + (300 * Second));
        Assert.Equal(lines.Count(l => l.StartsWith('{')), counting.LinesWithLeaves);
        Assert.Contains("{kubernetes_pod=\"p1\", level=\"error\"}=", answer, StringComparison.Ordinal);
        var total = lines.Count(l => l.StartsWith('{'));
        Assert.Equal(total, answer.Split(';').Sum(series => int.Parse(series[(series.LastIndexOf('=') + 1)..].Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static LogStorage Filled(string directory, bool jsonFieldColumns, LabelSet labels, List<string> lines)
    {
        var storage = LogStorage.Open(directory, new LogStorageOptions
        {
            JsonFieldColumns = jsonFieldColumns,
            FlushInterval = Timeout.InfiniteTimeSpan,
            MergeInterval = Timeout.InfiniteTimeSpan,
            RetentionPeriod = null,
            BlockRawBytes = 1 << 10,
        });
        var batch = new LogStreamBatch(labels);
        for (var i = 0; i < lines.Count; i++)
        {
            batch.Entries.Add(new LogEntry(s_start + (i * Second), Encoding.UTF8.GetBytes(lines[i])));
        }
        storage.AppendAsync([batch], CancellationToken.None).AsTask().GetAwaiter().GetResult();
        storage.FlushAsync().GetAwaiter().GetResult();
        return storage;
    }

    /// <summary>The result as text (or the error), so two stores' answers compare with one Assert.Equal.</summary>
    private static string Answer(ILogQuerier storage, string query, long end)
    {
        var engine = new LogQLEngine(storage);
        try
        {
            // Steps at the start and at the end: the last window holds every entry.
            return engine.QueryRange(query, s_start, end, end - s_start, LogDirection.Forward, 5000) switch
            {
                StreamsResult streams => string.Join(";", streams.Streams.Select(s =>
                    s.Labels + ":" + string.Join("|", s.Entries.Select(e => $"{e.TimestampUnixNano}={e.Line}")))),
                MatrixResult matrix => string.Join(";", matrix.Series.Select(s =>
                    s.Labels + "=" + string.Join(",", s.Points.Select(p => p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))))),
                var other => other.ResultType,
            };
        }
        catch (LogQLEvaluationException e)
        {
            return "error: " + e.Message;
        }
    }

    private static Gen<string> Space => Gen.Elements("", "", " ", "\t", "\n ");

    private static Gen<string> Key => Gen.Elements("level", "msg", "a", "b", "n", "kA", "k\\u0041", "9lives", " ", "", "trace-id", "日本");

    private static Gen<string> Scalar =>
        Gen.OneOf(
            Gen.Elements("\"info\"", "\"error\"", "\"\"", "\"a\\\"q\"", "\"\\u00e9t\\u00e9\"", "\"x\\ny\"", "\"日本\""),
            Gen.Elements("0", "-1", "3.25", "1e3", "12345678901234567890", "true", "false", "null"));

    private static Gen<string> Value(int depth) =>
        depth >= 6
            ? Scalar
            : Gen.Frequency(
                (6, Scalar),
                (2, JsonObject(depth + 1)),
                (1, Scalar.ListOf().Select(items => "[" + string.Join(",", items) + "]")));

    private static Gen<string> JsonObject(int depth) =>
        from open in Space
        from members in (from k in Key
                         from s1 in Space
                         from v in Value(depth)
                         select "\"" + k + "\"" + s1 + ":" + s1 + v).ListOf()
        from close in Space
        select open + "{" + string.Join(",", members) + close + "}";

    private static Gen<string> LineGen =>
        Gen.Frequency((8, JsonObject(0)), (1, Gen.Elements("plain text", "{not json", "[1,2]", "  at Frame()", "{\"a\":1} tail")));

    /// <summary>Counts the entries whose leaves the engine asked for and got.</summary>
    private sealed class LeafCountingQuerier(ILogQuerier inner) : ILogQuerier
    {
        public int LinesWithLeaves;

        public IReadOnlyList<ILogStreamReader> Select(LogSelect select) => [.. inner.Select(select).Select(r => new Reader(r, this))];

        public IReadOnlyList<LabelSet> Series(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano) =>
            inner.Series(matchers, startUnixNano, endUnixNano);

        public IReadOnlyList<string> LabelNames(long startUnixNano, long endUnixNano) => inner.LabelNames(startUnixNano, endUnixNano);

        public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano) =>
            inner.LabelValues(name, matchers, startUnixNano, endUnixNano);

        public LogIndexStats Stats(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano) =>
            inner.Stats(matchers, startUnixNano, endUnixNano);

        private sealed class Reader(ILogStreamReader inner, LeafCountingQuerier counts) : ILogStreamReader
        {
            public LabelSet Labels => inner.Labels;
            public long Timestamp => inner.Timestamp;
            public ReadOnlySpan<byte> Line => inner.Line;
            public bool MoveNext() => inner.MoveNext();
            public void Dispose() => inner.Dispose();

            public bool TryGetJsonLeaves(out JsonLeaves leaves)
            {
                var found = inner.TryGetJsonLeaves(out leaves);
                counts.LinesWithLeaves += found ? 1 : 0;
                return found;
            }
        }
    }
}
