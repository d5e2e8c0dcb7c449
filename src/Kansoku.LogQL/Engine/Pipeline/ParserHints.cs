namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// Which labels the parsers of one pipeline must extract, and which they already did for the current entry (Loki's
/// <c>log.Hints</c>). Log queries extract everything. Metric queries that group by known labels extract only those
/// (and the labels the stages read), and stop parsing once they have them, which also means a malformed tail that
/// Loki never reads is no error. An aggregation to one series with no label read anywhere skips parsing entirely.
/// A parser also skips a key an earlier parser stage set for this entry, so for a duplicate key the first one wins.
/// </summary>
internal sealed class ParserHints
{
    private readonly string[] _required;
    private readonly bool _noLabels;
    private readonly HashSet<string> _extracted = new(StringComparer.Ordinal);

    private ParserHints(string[] required, bool noLabels, bool preserveError)
    {
        _required = required;
        _noLabels = noLabels;
        PreserveError = preserveError;
    }

    /// <summary>Extract every label (log queries, and metric queries that keep all labels).</summary>
    public static ParserHints All() => new([], noLabels: false, preserveError: false);

    /// <summary>
    /// Loki's <c>NewParserHint</c>: <paramref name="requiredLabelNames"/> are the labels the stages read,
    /// <paramref name="groups"/> the grouping of the sample extractor, <paramref name="metricLabel"/> the unwrapped label.
    /// </summary>
    public static ParserHints ForMetric(
        IEnumerable<string> requiredLabelNames, IReadOnlyList<string> groups, bool without, bool noLabels, string? metricLabel)
    {
        var hints = new List<string>();
        foreach (var name in requiredLabelNames)
        {
            AddHint(hints, name);
        }
        foreach (var name in groups)
        {
            AddHint(hints, name);
        }
        if (metricLabel is not null)
        {
            AddHint(hints, metricLabel);
        }
        var preserveError = hints.Contains(LokiLabels.Error);
        if (noLabels)
        {
            return hints.Count > 0 ? new ParserHints([.. hints], noLabels: false, preserveError) : new ParserHints([], noLabels: true, false);
        }
        // With `without` or no grouping every label may end up in the result: nothing can be skipped.
        if (without || groups.Count == 0)
        {
            return All();
        }
        return new ParserHints([.. hints], noLabels: false, preserveError);
    }

    /// <summary>True when the query asked for <c>__error__</c> (grouped by it): errors then reach the result.</summary>
    public bool PreserveError { get; }

    /// <summary>No parser needs to run: nothing more to extract.</summary>
    public bool NoLabels => _noLabels || AllRequiredExtracted;

    public bool AllRequiredExtracted
    {
        get
        {
            if (_required.Length == 0 || _extracted.Count < _required.Length)
            {
                return false;
            }
            foreach (var name in _required)
            {
                if (!_extracted.Contains(name))
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>Whether an earlier parser stage already set <paramref name="key"/> for this entry.</summary>
    public bool Extracted(string key) => _extracted.Contains(key);

    public bool ShouldExtract(string key)
    {
        if (_required.Length == 0)
        {
            return true;
        }
        foreach (var name in _required)
        {
            if (string.Equals(name, key, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether a nested JSON object whose flattened prefix is <paramref name="prefix"/> can hold a wanted key.</summary>
    public bool ShouldExtractPrefix(ReadOnlySpan<char> prefix)
    {
        if (_required.Length == 0)
        {
            return true;
        }
        foreach (var name in _required)
        {
            if (name.AsSpan().StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public void RecordExtracted(string key) => _extracted.Add(key);

    public void Reset()
    {
        if (_extracted.Count > 0)
        {
            _extracted.Clear();
        }
    }

    private static void AddHint(List<string> hints, string name)
    {
        if (name.Length == 0)
        {
            return;
        }
        if (!hints.Contains(name))
        {
            hints.Add(name);
        }
        // A parsed label that collides with a stream label is renamed x_extracted only after the parser saw x.
        if (name.EndsWith(LokiLabels.ExtractedSuffix, StringComparison.Ordinal))
        {
            var original = name[..^LokiLabels.ExtractedSuffix.Length];
            if (original.Length > 0 && !hints.Contains(original))
            {
                hints.Add(original);
            }
        }
    }
}
