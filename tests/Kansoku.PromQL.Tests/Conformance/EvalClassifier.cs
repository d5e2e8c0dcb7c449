namespace Kansoku.PromQL.Tests.Conformance;

/// <summary>Why an eval is outside the float-only, stable-PromQL target of issue 5 (see INDEX.md of the conformance data).</summary>
internal enum EvalScope
{
    /// <summary>Float data and stable PromQL: the engine must pass it.</summary>
    Target,

    /// <summary>Expects a native histogram or reads series that a skipped histogram block defines.</summary>
    NativeHistogram,

    /// <summary>
    /// Uses an experimental feature counted apart: anchored/smoothed selectors, fill modifiers, info(), limitk /
    /// limit_ratio, type-and-unit labels, duration arithmetic.
    /// </summary>
    Experimental,
}

/// <summary>Sorts evals into <see cref="EvalScope"/>s by looking at the expression text and the blocks loaded before them.</summary>
internal static class EvalClassifier
{
    private static readonly string[] ExperimentalMarkers =
        [" anchored", " smoothed", "fill(", "fill_left(", "fill_right(", "info(", "limitk(", "limit_ratio(", "__type__", "__unit__", "step()", "range()", "min_of(", "max_of(", "histogram_quantiles("];

    public static EvalScope Classify(EvalCommand eval, IReadOnlySet<string> histogramMetricNames, bool fileIsExperimental)
    {
        if (eval.ExpectsHistograms || MentionsAny(eval.Expression, histogramMetricNames) || ExpectsHistogramAnnotation(eval.Expectations))
        {
            return EvalScope.NativeHistogram;
        }
        if (fileIsExperimental || HasExperimentalMarker(eval.Expression) || HasDurationArithmetic(eval.Expression)
            || UsesBoundFunction(eval.Expression, "start()") || UsesBoundFunction(eval.Expression, "end()"))
        {
            return EvalScope.Experimental;
        }
        return EvalScope.Target;
    }

    /// <summary>The metric names a histogram block defines; for custom buckets also the base name of the derived histogram.</summary>
    public static IEnumerable<string> HistogramNames(LoadCommand load)
    {
        var names = new List<string>(load.HistogramMetricNames);
        if (!load.DerivesCustomBuckets)
        {
            return names;
        }
        foreach (var series in load.Series)
        {
            // The classic series are stored as floats too; only the derived histogram's name needs native histograms.
            var name = series.Labels.Get(Kansoku.Core.Labels.LabelNames.MetricName);
            foreach (var suffix in (ReadOnlySpan<string>)["_bucket", "_sum", "_count"])
            {
                if (name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    names.Add(name[..^suffix.Length]);
                }
            }
        }
        return names;
    }

    /// <summary>A selector by regex can reach histogram series the name check misses; an expected histogram annotation gives it away.</summary>
    private static bool ExpectsHistogramAnnotation(EvalExpectations expectations)
    {
        foreach (var expectation in (IEnumerable<AnnotationExpectation>)[.. expectations.Warnings, .. expectations.Infos])
        {
            if ((expectation.Message ?? expectation.Pattern ?? "").Contains("histogram", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>start() / end() as functions (experimental), not as the stable <c>@ start()</c> / <c>@ end()</c> modifier.</summary>
    private static bool UsesBoundFunction(string expression, string function)
    {
        for (var index = expression.IndexOf(function, StringComparison.Ordinal); index >= 0;
             index = expression.IndexOf(function, index + 1, StringComparison.Ordinal))
        {
            var before = expression.AsSpan(0, index).TrimEnd();
            if ((before.Length == 0 || before[^1] != '@') && (index == 0 || !IsNameChar(expression[index - 1])))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasExperimentalMarker(string expression)
    {
        foreach (var marker in ExperimentalMarkers)
        {
            if (expression.Contains(marker, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when a range/subquery bracket or an offset holds more than a plain duration (e.g. <c>[5m+1m]</c>, <c>offset (2*1m)</c>).</summary>
    private static bool HasDurationArithmetic(string expression)
    {
        for (var i = 0; i < expression.Length; i++)
        {
            if (expression[i] == '[')
            {
                var close = expression.IndexOf(']', i);
                if (close > i && !IsPlainBracket(expression.AsSpan(i + 1, close - i - 1)))
                {
                    return true;
                }
            }
            else if (expression.AsSpan(i).StartsWith("offset", StringComparison.Ordinal))
            {
                var j = i + "offset".Length;
                while (j < expression.Length && expression[j] == ' ')
                {
                    j++;
                }
                if (j < expression.Length && expression[j] == '-')
                {
                    j++;
                }
                if (j < expression.Length && !char.IsAsciiDigit(expression[j]))
                {
                    return true;
                }
                while (j < expression.Length && char.IsAsciiLetterOrDigit(expression[j]))
                {
                    j++;
                }
                while (j < expression.Length && expression[j] == ' ')
                {
                    j++;
                }
                if (j < expression.Length && expression[j] is '+' or '*' or '/' or '%' or '^')
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>A range <c>5m</c> or a subquery <c>5m:1m</c> / <c>5m:</c>, nothing else.</summary>
    private static bool IsPlainBracket(ReadOnlySpan<char> content)
    {
        foreach (var c in content)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ':' and not ' ')
            {
                return false;
            }
        }
        return true;
    }

    private static bool MentionsAny(string expression, IReadOnlySet<string> names)
    {
        foreach (var name in names)
        {
            var index = expression.IndexOf(name, StringComparison.Ordinal);
            while (index >= 0)
            {
                var before = index == 0 || !IsNameChar(expression[index - 1]);
                var afterIndex = index + name.Length;
                var after = afterIndex >= expression.Length || !IsNameChar(expression[afterIndex]);
                if (before && after)
                {
                    return true;
                }
                index = expression.IndexOf(name, index + 1, StringComparison.Ordinal);
            }
        }
        return false;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';
}
