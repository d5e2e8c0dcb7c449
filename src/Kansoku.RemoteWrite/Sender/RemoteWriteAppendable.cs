using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.RemoteWrite.Sender;

/// <summary>
/// The store as scrapes, rules and the remote write receiver see it, with every committed sample also queued for each
/// remote_write endpoint: samples reach the queues only after the store's Commit returned, so what is sent is what is
/// stored, and a rolled-back or refused sample is never sent.
/// </summary>
internal sealed class RemoteWriteAppendable(ISampleAppendable store, IReadOnlyList<RemoteWriteQueue> queues) : ISampleAppendable
{
    public ISampleAppender Appender() => queues.Count == 0 ? store.Appender() : new TeeAppender(store.Appender(), queues);

    /// <summary>Holds what its transaction appended until the commit, like the store does.</summary>
    private sealed class TeeAppender(ISampleAppender inner, IReadOnlyList<RemoteWriteQueue> queues) : ISampleAppender
    {
        private readonly List<(LabelSet Labels, long TimestampMs, double Value)> _appended = [];

        public ulong Append(ulong seriesRef, LabelSet labels, long timestampMs, double value)
        {
            var reference = inner.Append(seriesRef, labels, timestampMs, value);
            _appended.Add((labels, timestampMs, value));
            return reference;
        }

        public void Commit()
        {
            inner.Commit();
            foreach (var queue in queues)
            {
                foreach (var (labels, timestamp, value) in _appended)
                {
                    queue.Enqueue(labels, timestamp, value);
                }
            }
            _appended.Clear();
        }

        public void Rollback()
        {
            _appended.Clear();
            inner.Rollback();
        }
    }
}
