using System.Buffers;
using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.RemoteWrite.Receiver;

/// <summary>
/// The receiving end of Prometheus remote write 1.0 (storage/remote/write_handler.go): one snappy-compressed
/// WriteRequest in, its samples appended in one transaction, and the status Prometheus' receiver would answer. A request
/// is all or nothing: a refused sample (out of order, duplicate, too old, or more than <see cref="MaxAheadTime"/> in the
/// future) rolls it back with 400, which senders drop rather than retry; a store failure rolls it back with 500, which
/// they retry. Series whose labels are not a valid series are skipped and counted, as Prometheus does. Thread-safe.
/// </summary>
internal sealed class RemoteWriteReceiver
{
    /// <summary>Prometheus refuses samples further ahead of its clock than this (maxAheadTime).</summary>
    public static readonly TimeSpan MaxAheadTime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Snappy's densest element, a 3-byte copy of 64 bytes, expands 21⅓ times: a body whose header claims more is not
    /// snappy, and is refused before its claimed length is rented.
    /// </summary>
    private const int MaxSnappyExpansion = 22;

    /// <summary>
    /// Senders repeat their active series every few seconds. 2^15 slots of at most 1 KiB keys bound the cache to about
    /// 40 MiB (typically a tenth of that, keys being a few hundred bytes); a larger sender costs label decoding on misses.
    /// </summary>
    private const int LabelCacheSlots = 1 << 15;

    private readonly ISampleAppendable _store;
    private readonly TimeProvider _time;
    private readonly long _maxDecompressedBytes;
    private readonly LabelSetCache _labels = new(LabelCacheSlots);

    private long _samplesAppended;
    private long _samplesInvalidLabels;
    private long _requestsRefused;

    public RemoteWriteReceiver(ISampleAppendable store, TimeProvider time, long maxDecompressedBytes)
    {
        _store = store;
        _time = time;
        _maxDecompressedBytes = maxDecompressedBytes;
    }

    /// <summary>Samples committed to the store.</summary>
    public long SamplesAppended => Interlocked.Read(ref _samplesAppended);

    /// <summary>Samples of series skipped for their labels (Prometheus' remote_write_invalid_labels_samples_total).</summary>
    public long SamplesWithInvalidLabels => Interlocked.Read(ref _samplesInvalidLabels);

    /// <summary>Requests answered with a 4xx or 5xx.</summary>
    public long RequestsRefused => Interlocked.Read(ref _requestsRefused);

    /// <summary>Decodes and stores one request body (snappy block format, as Content-Encoding: snappy means here).</summary>
    public WriteResult Write(ReadOnlySpan<byte> compressed)
    {
        int length;
        try
        {
            length = Snappier.Snappy.GetUncompressedLength(compressed);
        }
        catch (InvalidDataException e)
        {
            return Refused(WriteResult.BadRequest($"the body is not snappy-compressed: {e.Message}"));
        }
        if (length > _maxDecompressedBytes)
        {
            return Refused(WriteResult.TooLarge($"the body decompresses to {length} bytes; the limit is {_maxDecompressedBytes}"));
        }
        if (length > (long)compressed.Length * MaxSnappyExpansion)
        {
            return Refused(WriteResult.BadRequest(
                $"the body is not snappy-compressed: its header claims {length} bytes, more than {compressed.Length} compressed bytes can hold"));
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            int written;
            try
            {
                written = Snappier.Snappy.Decompress(compressed, buffer);
            }
            catch (InvalidDataException e)
            {
                return Refused(WriteResult.BadRequest($"the body is not snappy-compressed: {e.Message}"));
            }
            var result = Append(buffer.AsSpan(0, written));
            return result.StatusCode == WriteResult.NoContent ? result : Refused(result);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private WriteResult Append(ReadOnlySpan<byte> message)
    {
        var maxTimestamp = (_time.GetUtcNow() + MaxAheadTime).ToUnixTimeMilliseconds();
        var appender = _store.Appender();
        var appended = 0L;
        var invalid = 0L;
        var reader = new WriteRequestReader(message);
        try
        {
            while (reader.TryReadSeries(_labels, out var labels))
            {
                ulong seriesRef = 0;
                while (reader.TryReadSample(out var timestamp, out var value))
                {
                    if (labels is null)
                    {
                        invalid++;
                        continue;
                    }
                    if (timestamp > maxTimestamp)
                    {
                        appender.Rollback();
                        return WriteResult.BadRequest(
                            $"out of bounds: timeseries[{reader.SeriesIndex}] {labels} has a sample at {timestamp}, too far in the future");
                    }
                    try
                    {
                        seriesRef = appender.Append(seriesRef, labels, timestamp, value);
                        appended++;
                    }
                    catch (SampleRejectedException e) when (e.Reason == SampleRejection.InvalidLabels)
                    {
                        invalid++;
                        labels = null;
                    }
                    catch (SampleRejectedException e)
                    {
                        appender.Rollback();
                        return WriteResult.BadRequest($"{e.Message}: timeseries[{reader.SeriesIndex}] {labels} at {timestamp}");
                    }
                }
            }
        }
        catch (FormatException e)
        {
            appender.Rollback();
            return WriteResult.BadRequest(e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            appender.Rollback();
            return WriteResult.StoreFailed($"appending failed: {e.Message}");
        }
        try
        {
            appender.Commit();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return WriteResult.StoreFailed($"commit failed: {e.Message}");
        }
        Interlocked.Add(ref _samplesAppended, appended);
        Interlocked.Add(ref _samplesInvalidLabels, invalid);
        return WriteResult.Stored(appended);
    }

    private WriteResult Refused(WriteResult result)
    {
        Interlocked.Increment(ref _requestsRefused);
        return result;
    }
}
