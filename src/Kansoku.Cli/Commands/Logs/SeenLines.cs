namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// The entries already printed at or after a floor time, counted, so that a request overlapping the previous one
/// (a page starting at the last page's final timestamp, a poll looking back a few seconds) prints only what is new.
/// Counting keeps two identical lines at the same nanosecond apart: an answer's k-th copy of an entry is new only if
/// fewer than k copies were printed before.
/// </summary>
internal sealed class SeenLines
{
    private readonly Dictionary<LogLine, int> _printed = new(LineComparer.Instance);
    private readonly Dictionary<LogLine, int> _inAnswer = new(LineComparer.Instance);

    /// <summary>Forgets entries before <paramref name="floor"/>, which no later request returns, and starts a new answer.</summary>
    public void StartAnswer(long floor)
    {
        _inAnswer.Clear();
        if (_printed.Count == 0)
        {
            return;
        }
        List<LogLine>? old = null;
        foreach (var line in _printed.Keys)
        {
            if (line.TimeUnixNano < floor)
            {
                (old ??= []).Add(line);
            }
        }
        if (old is not null)
        {
            foreach (var line in old)
            {
                _printed.Remove(line);
            }
        }
    }

    /// <summary>Counts <paramref name="line"/> as part of the current answer; true when it was not printed before.</summary>
    public bool IsNew(in LogLine line)
    {
        var copy = _inAnswer.GetValueOrDefault(line) + 1;
        _inAnswer[line] = copy;
        var printed = _printed.GetValueOrDefault(line);
        if (copy <= printed)
        {
            return false;
        }
        _printed[line] = printed + 1;
        return true;
    }

    private sealed class LineComparer : IEqualityComparer<LogLine>
    {
        public static readonly LineComparer Instance = new();

        public bool Equals(LogLine x, LogLine y) =>
            x.TimeUnixNano == y.TimeUnixNano && x.Labels.Equals(y.Labels) && x.Line.AsSpan().SequenceEqual(y.Line);

        public int GetHashCode(LogLine obj)
        {
            var hash = new HashCode();
            hash.Add(obj.TimeUnixNano);
            hash.Add(obj.Labels);
            hash.AddBytes(obj.Line);
            return hash.ToHashCode();
        }
    }
}
