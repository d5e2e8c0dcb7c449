using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Engine;

/// <summary>
/// Merges the stores' per-stream readers into one sequence in time order (oldest first forward, newest first
/// backward), like Loki's heap iterator; entries with the same timestamp come in stream label order. Disposes the
/// readers.
/// </summary>
internal sealed class EntryMerger : IDisposable
{
    private readonly IReadOnlyList<ILogStreamReader> _readers;
    private readonly PriorityQueue<Cursor, (long Key, int Rank)> _queue;
    private readonly bool _backward;
    private readonly QueryContext _context;
    private Cursor? _taken;

    public EntryMerger(IReadOnlyList<ILogStreamReader> readers, LogDirection direction, QueryContext context)
    {
        _readers = readers;
        _backward = direction == LogDirection.Backward;
        _context = context;
        _queue = new PriorityQueue<Cursor, (long, int)>(readers.Count);
        var cursors = new Cursor[readers.Count];
        for (var i = 0; i < readers.Count; i++)
        {
            cursors[i] = new Cursor(readers[i], LabelList.From(readers[i].Labels), readers[i].Labels.ToString());
        }
        Array.Sort(cursors, static (a, b) => string.CompareOrdinal(a.Text, b.Text));
        for (var rank = 0; rank < cursors.Length; rank++)
        {
            cursors[rank].Rank = rank;
            Enqueue(cursors[rank]);
        }
    }

    /// <summary>The timestamp of the next entry; false when all readers are done.</summary>
    public bool TryPeek(out long timestamp)
    {
        AdvanceTaken();
        if (_queue.TryPeek(out var cursor, out _))
        {
            timestamp = cursor.Reader.Timestamp;
            return true;
        }
        timestamp = 0;
        return false;
    }

    /// <summary>
    /// Takes the next entry: its reader is positioned on it (read <see cref="ILogStreamReader.Line"/> now, it is valid
    /// until the next call to this merger).
    /// </summary>
    public Cursor Take()
    {
        AdvanceTaken();
        var cursor = _queue.Dequeue();
        _context.CountEntry(cursor.Reader.Line.Length);
        _taken = cursor;
        return cursor;
    }

    public void Dispose()
    {
        foreach (var reader in _readers)
        {
            reader.Dispose();
        }
    }

    private void AdvanceTaken()
    {
        if (_taken is { } taken)
        {
            _taken = null;
            Enqueue(taken);
        }
    }

    private void Enqueue(Cursor cursor)
    {
        if (cursor.Reader.MoveNext())
        {
            var timestamp = cursor.Reader.Timestamp;
            _queue.Enqueue(cursor, (_backward ? -timestamp : timestamp, cursor.Rank));
        }
    }

    /// <summary>One stream's reader with its labels.</summary>
    internal sealed class Cursor(ILogStreamReader reader, LabelList labelList, string text)
    {
        public ILogStreamReader Reader { get; } = reader;

        public LabelSet Labels => Reader.Labels;

        public LabelList LabelList { get; } = labelList;

        public string Text { get; } = text;

        public int Rank { get; set; }
    }
}
