using System.Text;
using Kansoku.Cli.Commands.Logs;
using Kansoku.Core.Labels;

namespace Kansoku.Cli.Tests.Logs;

/// <summary>Reading Loki <c>query_range</c> answers, and the dedupe of overlapping answers, in process.</summary>
public sealed class LokiResponseTests
{
    private static List<LogLine> Read(string json) => LokiResponse.ReadStreams(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Reads_streams_in_any_member_order_with_escapes_and_extra_value_elements()
    {
        var lines = Read("""
            {"data":{"result":[
              {"values":[["2","b\u00e9\"\n"],["3","c",{"trace_id":"x"}]],"stream":{"pod":"web-1","namespace":"shop"}},
              {"stream":{"pod":"web-2"},"values":[["1","a"]]}
            ],"stats":{"summary":{"bytesProcessedPerSecond":1}},"resultType":"streams"},"status":"success"}
            """);

        Assert.Equal([2L, 3L, 1L], lines.Select(l => l.TimeUnixNano));
        Assert.Equal(["bé\"\n", "c", "a"], lines.Select(l => Encoding.UTF8.GetString(l.Line)));
        Assert.Equal(LabelSet.From(("namespace", "shop"), ("pod", "web-1")), lines[0].Labels);
        Assert.Same(lines[0].Labels, lines[1].Labels);
        Assert.Equal("web-2", lines[2].Labels.Get("pod"));
    }

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"]]}]}}""", "metric query")]
    [InlineData("""{"status":"error","errorType":"bad_data","error":"x"}""", "status error")]
    [InlineData("""{"status":"success","data":{"resultType":"streams","result":[{"values":[[1,"a"]]}]}}""", "cannot read")]
    [InlineData("<html>502 Bad Gateway</html>", "cannot read")]
    public void Refuses_answers_that_are_not_log_streams(string json, string message)
    {
        var error = Assert.Throws<LogsException>(() => Read(json));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seen_lines_print_each_copy_of_an_entry_once_across_overlapping_answers()
    {
        var labels = LabelSet.From(("pod", "web-1"));
        LogLine At(long time, string text) => new(time, labels, Encoding.UTF8.GetBytes(text));
        var seen = new SeenLines();

        seen.StartAnswer(0);
        var first = new[] { At(1, "a"), At(2, "same"), At(2, "same") }.Where(l => seen.IsNew(l)).Count();
        seen.StartAnswer(2);
        // The next page starts at 2: both copies come again, then a third copy and a new entry.
        var second = new[] { At(2, "same"), At(2, "same"), At(2, "same"), At(3, "b") }.Where(l => seen.IsNew(l)).Select(l => l.TimeUnixNano).ToList();
        seen.StartAnswer(3);
        var third = new[] { At(2, "same"), At(3, "b") }.Count(l => seen.IsNew(l));

        Assert.Equal(3, first);
        Assert.Equal([2L, 3L], second);
        // Entries before the floor were forgotten: an answer that still holds one (it cannot, by its start) would print it again.
        Assert.Equal(1, third);
    }
}
