using System.Buffers;
using System.Runtime.CompilerServices;
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

    private readonly record struct AppendedSample(LabelSet Labels, long TimestampMs, double Value);

    /// <summary>
    /// Holds what its transaction appended until the commit, like the store does, in an array rented from the shared pool
    /// and given back at Commit or Rollback: every scrape is a transaction, and a new list each time was garbage per scrape.
    /// </summary>
    private sealed class TeeAppender(ISampleAppender inner, IReadOnlyList<RemoteWriteQueue> queues) : ISampleAppender
    {
        private const int InitialCapacity = 256;

        private AppendedSample[]? _appended;
        private int _count;

        public ulong Append(ulong seriesRef, LabelSet labels, long timestampMs, double value)
        {
            var reference = inner.Append(seriesRef, labels, timestampMs, value);
            var appended = _appended;
            if (appended is null || _count == appended.Length)
            {
                appended = Grow();
            }
            appended[_count++] = new AppendedSample(labels, timestampMs, value);
            return reference;
        }

        public void Commit()
        {
            try
            {
                inner.Commit();
                var appended = _appended.AsSpan(0, _count);
                foreach (var queue in queues)
                {
                    foreach (ref readonly var sample in appended)
                    {
                        queue.Enqueue(sample.Labels, sample.TimestampMs, sample.Value);
                    }
                }
            }
            finally
            {
                ReturnBuffer();
            }
        }

        public void Rollback()
        {
            ReturnBuffer();
            inner.Rollback();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private AppendedSample[] Grow()
        {
            var larger = ArrayPool<AppendedSample>.Shared.Rent(_appended is null ? InitialCapacity : _appended.Length * 2);
            if (_appended is not null)
            {
                _appended.AsSpan(0, _count).CopyTo(larger);
                Release(_appended, _count);
            }
            return _appended = larger;
        }

        private void ReturnBuffer()
        {
            if (_appended is not null)
            {
                Release(_appended, _count);
                _appended = null;
            }
            _count = 0;
        }

        /// <summary>Clears the used part first, so that the pool does not keep label sets alive.</summary>
        private static void Release(AppendedSample[] buffer, int used)
        {
            buffer.AsSpan(0, used).Clear();
            ArrayPool<AppendedSample>.Shared.Return(buffer);
        }
    }
}
