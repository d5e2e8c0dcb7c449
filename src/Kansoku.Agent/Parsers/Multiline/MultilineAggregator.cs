using System.Buffers;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Multiline;

/// <summary>
/// Joins the lines of one (file, stream) into records by an <see cref="IMultilineRule"/>. Not thread-safe: the input
/// keeps one per stream and calls it from one thread.
/// </summary>
/// <remarks>
/// A joined record is its first line's <see cref="LogRecord"/> with the lines' content joined by "\n" in one
/// right-sized array, the first line's time, and <see cref="LogRecord.SourceEndOffset"/> of the last line; the later
/// lines' records are dropped. A record that stays one line is passed on untouched. A joined record is capped at
/// <c>maxBytes</c> and <c>maxLines</c>: the line that would pass either starts a new record, so a runaway trace cannot
/// grow without bound, while a single line of any length stays one record. Held records must own their content
/// memory (not point into a reused read buffer).
/// </remarks>
internal sealed class MultilineAggregator
{
    public const int DefaultMaxBytes = 1 << 20;
    public const int DefaultMaxLines = 1000;

    private readonly IMultilineRule _rule;
    private readonly TimeSpan _flushTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxBytes;
    private readonly int _maxLines;

    private LogRecord? _first;
    private bool _firstOwnsContent;
    private int _lines;
    private int _state;
    private long _endOffset;
    private long _lastLineTimestamp;
    private byte[]? _joined;
    private int _joinedLength;

    public MultilineAggregator(IMultilineRule rules, TimeSpan flushTimeout, TimeProvider timeProvider,
        int maxBytes = DefaultMaxBytes, int maxLines = DefaultMaxLines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        _rule = rules;
        _flushTimeout = flushTimeout;
        _timeProvider = timeProvider;
        _maxBytes = maxBytes;
        _maxLines = maxLines;
    }

    public bool HasPending => _first is not null;

    /// <summary>
    /// <see cref="LogRecord.SourceOffset"/> of the oldest held line: a checkpoint must not pass it. -1 when nothing is held.
    /// </summary>
    public long PendingStartOffset => _first?.SourceOffset ?? -1;

    /// <summary>Takes the next line of the stream; records it finishes are appended to <paramref name="completed"/>.</summary>
    public void Add(LogRecord line, List<LogRecord> completed)
    {
        var content = line.Content.Span;
        var action = _rule.Classify(content, _lines, _first is null ? default : _first.Content.Span, ref _state);
        if (action == MultilineAction.Continue && _first is not null
            && (_lines >= _maxLines || PendingLength + 1L + content.Length > _maxBytes))
        {
            action = MultilineAction.Start;
        }
        switch (action)
        {
            case MultilineAction.Continue when _first is not null:
                Append(content, line.SourceEndOffset);
                break;
            case MultilineAction.Single:
                Complete(completed);
                completed.Add(line);
                _state = 0;
                break;
            default:
                Complete(completed);
                _first = line;
                _firstOwnsContent = false;
                _lines = 1;
                _endOffset = line.SourceEndOffset;
                break;
        }
        _lastLineTimestamp = _timeProvider.GetTimestamp();
    }

    /// <summary>
    /// Gives the held line a copy of its content, for a caller about to reuse the buffer the line points into.
    /// Only the one line held between reads is copied, never every line.
    /// </summary>
    public void DetachHeldContent()
    {
        if (_first is null || _joined is not null || _firstOwnsContent)
        {
            return;
        }
        _first.Content = _first.Content.ToArray();
        _firstOwnsContent = true;
    }

    /// <summary>Passes on the held record when its last line is older than the flush timeout.</summary>
    public void FlushExpired(List<LogRecord> completed)
    {
        if (_first is not null && _timeProvider.GetElapsedTime(_lastLineTimestamp) >= _flushTimeout)
        {
            FlushAll(completed);
        }
    }

    /// <summary>Passes on the held record now (end of file, file closed, shutdown).</summary>
    public void FlushAll(List<LogRecord> completed)
    {
        Complete(completed);
        _state = 0;
    }

    private int PendingLength => _joined is null ? _first!.Content.Length : _joinedLength;

    private void Append(ReadOnlySpan<byte> content, long endOffset)
    {
        if (_joined is null)
        {
            var first = _first!.Content.Span;
            _joined = ArrayPool<byte>.Shared.Rent(Math.Max(4096, first.Length + 1 + content.Length));
            first.CopyTo(_joined);
            _joinedLength = first.Length;
        }
        var needed = _joinedLength + 1 + content.Length;
        if (needed > _joined.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _joined.Length * 2));
            _joined.AsSpan(0, _joinedLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_joined);
            _joined = larger;
        }
        _joined[_joinedLength++] = (byte)'\n';
        content.CopyTo(_joined.AsSpan(_joinedLength));
        _joinedLength += content.Length;
        _lines++;
        _endOffset = endOffset;
    }

    private void Complete(List<LogRecord> completed)
    {
        if (_first is null)
        {
            return;
        }
        if (_joined is not null)
        {
            _first.Content = _joined.AsSpan(0, _joinedLength).ToArray();
            _first.SourceEndOffset = _endOffset;
            ArrayPool<byte>.Shared.Return(_joined);
            _joined = null;
            _joinedLength = 0;
        }
        completed.Add(_first);
        _first = null;
        _lines = 0;
    }
}
