using Kansoku.Core.Labels;

namespace Kansoku.Tsdb.Index;

/// <summary>
/// The series ids matching a selector (Prometheus' PostingsForMatchers): matchers that reject "" intersect the postings
/// of the values they accept; matchers that accept "" (and so select series without the label) subtract the postings
/// of the values they reject.
/// </summary>
internal static class MatcherResolver
{
    public static ulong[] Resolve(IPostingsIndex index, IReadOnlyList<LabelMatcher> matchers)
    {
        var intersections = new List<ulong[]>(matchers.Count);
        var subtractions = new List<ulong[]>();
        foreach (var matcher in matchers)
        {
            if (matcher.MatchesEmpty)
            {
                subtractions.Add(Postings.Union(PostingsOfValues(index, matcher, matching: false)));
            }
            else
            {
                intersections.Add(Postings.Union(PostingsOfValues(index, matcher, matching: true)));
            }
        }
        if (intersections.Count == 0)
        {
            // Only the label APIs get here (PromQL refuses such selectors): start from every series, as Prometheus.
            intersections.Add(index.AllPostings());
        }
        intersections.Sort((a, b) => a.Length.CompareTo(b.Length));
        var result = intersections[0];
        for (var i = 1; i < intersections.Count && result.Length > 0; i++)
        {
            result = Postings.Intersect(result, intersections[i]);
        }
        foreach (var subtraction in subtractions)
        {
            result = Postings.Subtract(result, subtraction);
        }
        return result;
    }

    /// <summary>The postings of the values of the matcher's label that it accepts (<paramref name="matching"/>) or rejects.</summary>
    private static List<ulong[]> PostingsOfValues(IPostingsIndex index, LabelMatcher matcher, bool matching)
    {
        var postings = new List<ulong[]>();
        if (matcher.Type is LabelMatchType.Equal or LabelMatchType.NotEqual)
        {
            if ((matcher.Type == LabelMatchType.Equal) == matching)
            {
                postings.Add(index.Postings(matcher.Name, matcher.Value));
                return postings;
            }
            foreach (var value in index.Values(matcher.Name))
            {
                if (!string.Equals(value, matcher.Value, StringComparison.Ordinal))
                {
                    postings.Add(index.Postings(matcher.Name, value));
                }
            }
            return postings;
        }

        var regexWanted = (matcher.Type == LabelMatchType.RegexMatch) == matching;
        var shape = RegexShape.Analyze(matcher.Value);
        switch (shape.Kind)
        {
            case RegexShapeKind.Any or RegexShapeKind.NonEmpty:
                // Every present value is non-empty, so both match all of them.
                if (regexWanted)
                {
                    AddAll(index, matcher.Name, postings);
                }
                break;
            case RegexShapeKind.Literals when regexWanted:
                foreach (var literal in shape.Literals)
                {
                    if (literal.Length > 0)
                    {
                        postings.Add(index.Postings(matcher.Name, literal));
                    }
                }
                break;
            case RegexShapeKind.Literals:
                foreach (var value in index.Values(matcher.Name))
                {
                    if (Array.IndexOf(shape.Literals, value) < 0)
                    {
                        postings.Add(index.Postings(matcher.Name, value));
                    }
                }
                break;
            case RegexShapeKind.Prefix:
                AddPrefixed(index, matcher.Name, shape.Literals[0], regexWanted, postings);
                break;
            default:
                foreach (var value in index.Values(matcher.Name))
                {
                    if (matcher.Matches(value) == matching)
                    {
                        postings.Add(index.Postings(matcher.Name, value));
                    }
                }
                break;
        }
        return postings;
    }

    private static void AddAll(IPostingsIndex index, string name, List<ulong[]> postings)
    {
        foreach (var value in index.Values(name))
        {
            postings.Add(index.Postings(name, value));
        }
    }

    private static void AddPrefixed(IPostingsIndex index, string name, string prefix, bool prefixed, List<ulong[]> postings)
    {
        var values = index.Values(name);
        var start = Array.BinarySearch(values, prefix, StringComparer.Ordinal);
        if (start < 0)
        {
            start = ~start;
        }
        var end = start;
        while (end < values.Length && values[end].StartsWith(prefix, StringComparison.Ordinal))
        {
            end++;
        }
        for (var i = 0; i < values.Length; i++)
        {
            if ((i >= start && i < end) == prefixed)
            {
                postings.Add(index.Postings(name, values[i]));
            }
        }
    }
}
