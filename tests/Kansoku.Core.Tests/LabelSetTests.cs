using FsCheck.Xunit;
using Kansoku.Core.Labels;

namespace Kansoku.Core.Tests;

public sealed class LabelSetTests
{
    [Fact]
    public void Sorts_by_name_drops_empty_values_and_prints_like_prometheus()
    {
        var labels = LabelSet.From(("pod", "web-1"), ("app", "web"), ("empty", ""), ("msg", "a\"b\\c"));
        Assert.Equal("{app=\"web\", msg=\"a\\\"b\\\\c\", pod=\"web-1\"}", labels.ToString());
        Assert.Equal("web", labels.Get("app"));
        Assert.Equal("", labels.Get("missing"));
        Assert.Equal(3, labels.Count);
    }

    [Property(MaxTest = 300)]
    public bool Equal_sets_have_equal_hashes_whatever_the_order(string[] names)
    {
        var pairs = (names ?? []).Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).Select(n => (n, "v" + n)).ToArray();
        var forward = LabelSet.From(pairs);
        var backward = LabelSet.From(pairs.Reverse().ToArray());
        return forward.Equals(backward) && forward.Hash == backward.Hash;
    }

    [Fact]
    public void Different_sets_differ()
    {
        Assert.NotEqual(LabelSet.From(("a", "bc")), LabelSet.From(("ab", "c")));
        Assert.NotEqual(LabelSet.From(("a", "b")).Hash, LabelSet.From(("a", "c")).Hash);
    }

    [Theory]
    [InlineData(LabelMatchType.Equal, "web", "web", true)]
    [InlineData(LabelMatchType.Equal, "", "", true)]
    [InlineData(LabelMatchType.NotEqual, "web", "api", true)]
    [InlineData(LabelMatchType.RegexMatch, "web|api", "api", true)]
    [InlineData(LabelMatchType.RegexMatch, "web", "webapp", false)]
    [InlineData(LabelMatchType.RegexMatch, ".*", "", true)]
    [InlineData(LabelMatchType.RegexNoMatch, "web.*", "webapp", false)]
    [InlineData(LabelMatchType.RegexNoMatch, "", "x", true)]
    public void Matchers_are_anchored_and_treat_absent_as_empty(LabelMatchType type, string pattern, string value, bool expected)
    {
        Assert.Equal(expected, new LabelMatcher(type, "app", pattern).Matches(value));
    }
}
