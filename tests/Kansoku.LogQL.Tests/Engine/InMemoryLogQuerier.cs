using System.Text;
using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Tests.Engine;

/// <summary>
/// A log store in memory with the <see cref="ILogQuerier"/> contract: streams of (timestamp, line), selected by
/// matchers and <c>[start, end)</c>, each in the requested direction, lines lacking a required substring left out.
/// Records what queries asked for and checks that every reader is disposed.
/// </summary>
internal sealed class InMemoryLogQuerier : ILogQuerier
{
    private readonly Dictionary<LabelSet, List<(long Timestamp, byte[] Line)>> _streams = [];
    private int _openReaders;

    public List<LogSelect> Selects { get; } = [];

    /// <summary>Return lines whatever the required substrings (a store without token filters may, if it is wrong).</summary>
    public bool IgnoreRequiredSubstrings { get; init; }

    public int OpenReaders => _openReaders;

    public InMemoryLogQuerier Add(LabelSet labels, long timestamp, string line)
    {
        if (!_streams.TryGetValue(labels, out var entries))
        {
            entries = [];
            _streams.Add(labels, entries);
        }
        entries.Add((timestamp, Encoding.UTF8.GetBytes(line)));
        return this;
    }

    public InMemoryLogQuerier Add(string labels, long timestamp, string line) => Add(LabelSetParser.Parse(labels), timestamp, line);

    public void Clear() => _streams.Clear();

    public IReadOnlyList<ILogStreamReader> Select(LogSelect select)
    {
        Selects.Add(select);
        var readers = new List<ILogStreamReader>();
        foreach (var (labels, entries) in _streams)
        {
            if (!select.Matchers.All(m => m.Matches(labels)))
            {
                continue;
            }
            var selected = entries
                .Where(e => e.Timestamp >= select.StartUnixNano && e.Timestamp < select.EndUnixNano)
                .Where(e => IgnoreRequiredSubstrings || select.RequiredSubstrings.All(s => e.Line.AsSpan().IndexOf(s) >= 0))
                .OrderBy(e => e.Timestamp)
                .ToList();
            if (selected.Count == 0)
            {
                continue;
            }
            if (select.Direction == LogDirection.Backward)
            {
                selected.Reverse();
            }
            Interlocked.Increment(ref _openReaders);
            readers.Add(new Reader(this, labels, selected));
        }
        return readers;
    }

    public IReadOnlyList<LabelSet> Series(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano) =>
        throw new NotSupportedException();

    public IReadOnlyList<string> LabelNames(long startUnixNano, long endUnixNano) => throw new NotSupportedException();

    public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano) =>
        throw new NotSupportedException();

    public LogIndexStats Stats(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano) =>
        throw new NotSupportedException();

    private sealed class Reader(InMemoryLogQuerier owner, LabelSet labels, List<(long Timestamp, byte[] Line)> entries) : ILogStreamReader
    {
        private int _index = -1;
        private bool _disposed;
        private byte[] _line = new byte[64];
        private int _length;

        public LabelSet Labels { get; } = labels;

        public long Timestamp => entries[_index].Timestamp;

        // One buffer reused for every entry, as a real store would: a consumer keeping the span too long sees the next line.
        public ReadOnlySpan<byte> Line => _line.AsSpan(0, _length);

        public bool MoveNext()
        {
            if (++_index >= entries.Count)
            {
                return false;
            }
            var line = entries[_index].Line;
            if (_line.Length < line.Length)
            {
                _line = new byte[line.Length * 2];
            }
            line.CopyTo(_line, 0);
            _length = line.Length;
            return true;
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Interlocked.Decrement(ref owner._openReaders);
            }
        }
    }
}
