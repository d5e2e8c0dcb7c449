using FsCheck;
using FsCheck.Fluent;
using Kansoku.LogQL.Engine;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Tests.Engine;

/// <summary>
/// Whatever the lines hold, parsers and formatters never throw: a malformed line becomes an <c>__error__</c> label, the
/// result labels stay sorted with each name once, and filtering on <c>__error__=""</c> removes every error.
/// </summary>
public sealed class PipelinePropertyTests
{
    private static readonly string[] s_fragments =
    [
        "{", "}", "[", "]", "\"", "\\", ":", ",", "=", " ", "\t", "a", "key", "_entry", "9x", "1", "-2.5e3", "true", "null",
        "é", "\u001b[31m", "<", ">", "10.0.0.1", "::1", "level=info", "\"k\":\"v\"", "\\u00e9", "\\\"", "\ufffd",
    ];

    private static readonly string[] s_pipelines =
    [
        "| json",
        "| json a=\"k\", b=\"x[0]\", c=`[\"k\"]`",
        "| logfmt",
        "| logfmt --strict --keep-empty",
        "| logfmt a, b=\"key\"",
        "| unpack | logfmt",
        "| regexp \"(?P<a>\\\\w+)=(?P<b>\\\\S*)\"",
        "| pattern \"<a> <b>\"",
        "| decolorize | line_format \"{{ __line__ | trunc 5 }}{{ .a | default \\\"-\\\" }}\"",
        "| json | label_format x=`{{ .k | upper }}` | keep x, k",
        "| logfmt | level > 1 or key = ip(\"10.0.0.0/8\")",
    ];

    [Fact]
    public void Arbitrary_lines_never_break_a_pipeline()
    {
        var lines = Gen.Elements(s_fragments).ListOf().Select(parts => string.Concat(parts));
        var cases = Gen.Elements(s_pipelines).SelectMany(pipeline => lines.Select(line => (pipeline, line)));
        Prop.ForAll(cases.ToArbitrary(), testCase =>
        {
            var (pipeline, line) = testCase;
            var querier = new InMemoryLogQuerier().Add("{app=\"p\", key=\"stream\"}", 1, line);
            var engine = new LogQLEngine(querier);
            var all = (StreamsResult)engine.QueryRange("{app=\"p\"} " + pipeline, 0, 10, 0, LogDirection.Forward, 10);
            var clean = (StreamsResult)engine.QueryRange("{app=\"p\"} " + pipeline + " | __error__=\"\"", 0, 10, 0, LogDirection.Forward, 10);
            foreach (var stream in all.Streams)
            {
                var labels = stream.Labels.AsSpan();
                for (var i = 1; i < labels.Length; i++)
                {
                    Assert.True(string.CompareOrdinal(labels[i - 1].Name, labels[i].Name) < 0, stream.Labels.ToString());
                }
            }
            Assert.All(clean.Streams, stream => Assert.False(stream.Labels.Has("__error__")));
            Assert.Equal(0, querier.OpenReaders);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1500));
    }
}
