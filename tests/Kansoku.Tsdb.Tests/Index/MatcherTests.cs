using System.Globalization;
using Kansoku.Core.Labels;
using Kansoku.Tsdb.Head;
using Kansoku.Tsdb.Index;

namespace Kansoku.Tsdb.Tests.Index;

public sealed class MatcherTests
{
    private static readonly string[] s_patterns =
    [
        ".*", ".+", "a|b|c", "api.*", "a.*", "b", "", "a|", "x", "(a|b)+", "[ab]pi.*", "api-.*|b", ".*-1",
    ];

    [Fact]
    public void Resolution_through_postings_matches_a_scan_for_every_matcher_shape()
    {
        var head = new HeadBlock(7_200_000);
        var all = new List<(ulong Ref, LabelSet Labels)>();
        var random = new Random(7);
        string[] values = ["a", "b", "c", "api", "api-1", "api-2", "bpi-1", "x-1"];
        var appender = head.Appender();
        for (var i = 0; i < 300; i++)
        {
            var labels = new List<(string, string)> { ("__name__", "m" + (i % 3).ToString(CultureInfo.InvariantCulture)) };
            foreach (var name in new[] { "job", "env", "pod" })
            {
                if (random.Next(4) > 0)
                {
                    labels.Add((name, values[random.Next(values.Length)]));
                }
            }
            var set = LabelSet.From([.. labels]);
            var reference = appender.Append(0, set, 1000, 1);
            if (!all.Exists(s => s.Ref == reference))
            {
                all.Add((reference, set));
            }
        }
        appender.Commit();

        foreach (var type in Enum.GetValues<LabelMatchType>())
        {
            foreach (var pattern in type is LabelMatchType.Equal or LabelMatchType.NotEqual ? values.Append("") : s_patterns)
            {
                var matchers = new[] { new LabelMatcher(type, "job", pattern), new LabelMatcher(LabelMatchType.RegexMatch, "__name__", "m0|m1") };
                var expected = all.Where(s => matchers.All(m => m.Matches(s.Labels))).Select(s => s.Ref).Order().ToArray();

                Assert.True(expected.SequenceEqual(MatcherResolver.Resolve(head.Postings, matchers)), $"job {type} \"{pattern}\"");
            }
        }
    }

    [Theory]
    [InlineData(".*", (int)RegexShapeKind.Any)]
    [InlineData(".+", (int)RegexShapeKind.NonEmpty)]
    [InlineData("a|bb|c", (int)RegexShapeKind.Literals)]
    [InlineData("prefix.*", (int)RegexShapeKind.Prefix)]
    [InlineData("pre.fix.*", (int)RegexShapeKind.General)]
    [InlineData("a|b.*", (int)RegexShapeKind.General)]
    public void Regex_shapes_are_recognised(string pattern, int kind) => Assert.Equal((RegexShapeKind)kind, RegexShape.Analyze(pattern).Kind);

    [Fact]
    public void Postings_operations_keep_sorted_distinct_ids()
    {
        Assert.Equal([3UL, 5], Postings.Intersect([1, 3, 5, 7], [2, 3, 5, 8]));
        Assert.Equal([1UL, 7], Postings.Subtract([1, 3, 5, 7], [3, 5, 9]));
        Assert.Equal([1UL, 2, 3, 5, 7], Postings.Union([[1, 3, 5], [2, 3, 7], []]));
    }
}
