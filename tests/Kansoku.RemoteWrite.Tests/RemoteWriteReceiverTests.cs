using Google.Protobuf;
using Kansoku.Core.Labels;
using Kansoku.RemoteWrite.Prompb;
using Kansoku.RemoteWrite.Receiver;
using static Kansoku.RemoteWrite.Tests.Requests;

namespace Kansoku.RemoteWrite.Tests;

public sealed class RemoteWriteReceiverTests
{
    private static readonly long s_now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private readonly RecordingAppendable _store = new();
    private readonly RemoteWriteReceiver _receiver;

    public RemoteWriteReceiverTests()
    {
        _receiver = new RemoteWriteReceiver(_store, TimeProvider.System, maxDecompressedBytes: 1 << 20);
    }

    private static LabelSet Labels(params (string, string)[] labels) => LabelSet.From(labels);

    [Fact]
    public void Every_sample_of_every_series_is_committed_in_one_transaction()
    {
        var result = _receiver.Write(Compress(
            Series(["__name__", "up", "job", "node", "instance", "a:9100"], (s_now - 2000, 1), (s_now - 1000, 0)),
            Series(["job", "node", "__name__", "http_requests_total", "code", "200"], (s_now - 1500, 12.5))));

        Assert.True(result.Error is null, result.Error);
        Assert.Equal((204, 3L), (result.StatusCode, result.SamplesAppended));
        Assert.Equal(1, _store.Commits);
        Assert.Equal([(s_now - 2000, 1.0), (s_now - 1000, 0.0)], _store.Samples(Labels(("__name__", "up"), ("instance", "a:9100"), ("job", "node"))));
        Assert.Equal([(s_now - 1500, 12.5)], _store.Samples(Labels(("__name__", "http_requests_total"), ("code", "200"), ("job", "node"))));
        Assert.Equal(3, _receiver.SamplesAppended);
    }

    [Fact]
    public void Stale_markers_and_special_values_keep_their_bits()
    {
        var stale = BitConverter.UInt64BitsToDouble(0x7ff0000000000002);
        var result = _receiver.Write(Compress(Series(["__name__", "g"], (s_now - 3, double.NegativeInfinity), (s_now - 2, double.NaN), (s_now - 1, stale))));

        Assert.Equal(204, result.StatusCode);
        var bits = _store.Samples(Labels(("__name__", "g"))).Select(s => BitConverter.DoubleToUInt64Bits(s.Value));
        Assert.Equal([BitConverter.DoubleToUInt64Bits(double.NegativeInfinity), BitConverter.DoubleToUInt64Bits(double.NaN), 0x7ff0000000000002UL], bits);
    }

    [Fact]
    public void A_series_seen_before_gets_the_same_label_set_without_decoding_it_again()
    {
        _receiver.Write(Compress(Series(["__name__", "up", "job", "a"], (s_now - 2, 1))));
        _receiver.Write(Compress(Series(["__name__", "up", "job", "a"], (s_now - 1, 1))));

        var series = Assert.Single(_store.Series());
        Assert.Equal(2, _store.Samples(series).Count);
        var first = new List<LabelSet>();
        var recorder = new LabelRecordingAppendable(first);
        var receiver = new RemoteWriteReceiver(recorder, TimeProvider.System, 1 << 20);
        receiver.Write(Compress(Series(["__name__", "up", "job", "a"], (1, 1))));
        receiver.Write(Compress(Series(["__name__", "up", "job", "a"], (2, 1))));
        Assert.Same(first[0], first[1]);
    }

    [Fact]
    public void Series_without_a_name_or_with_a_repeated_label_are_skipped_and_counted_the_rest_is_stored()
    {
        var result = _receiver.Write(Compress(
            Series(["job", "x"], (s_now, 1), (s_now + 1, 2)),
            Series(["__name__", "dup", "a", "1", "a", "2"], (s_now, 1)),
            Series(["__name__", "ok"], (s_now, 3))));

        Assert.Equal(204, result.StatusCode);
        Assert.Equal([Labels(("__name__", "ok"))], _store.Series());
        Assert.Equal(3, _receiver.SamplesWithInvalidLabels);
    }

    [Fact]
    public void An_out_of_order_sample_rolls_the_whole_request_back_with_400()
    {
        _receiver.Write(Compress(Series(["__name__", "c"], (s_now, 5))));

        var result = _receiver.Write(Compress(Series(["__name__", "other"], (s_now, 1)), Series(["__name__", "c"], (s_now - 10, 4))));

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("out of order sample: timeseries[1] {__name__=\"c\"}", result.Error, StringComparison.Ordinal);
        Assert.Empty(_store.Samples(Labels(("__name__", "other"))));
        Assert.Equal(1, _receiver.RequestsRefused);
    }

    [Fact]
    public void A_duplicate_timestamp_with_another_value_is_400_and_the_same_value_again_is_fine()
    {
        _receiver.Write(Compress(Series(["__name__", "c"], (s_now, 5))));

        Assert.Equal(204, _receiver.Write(Compress(Series(["__name__", "c"], (s_now, 5)))).StatusCode);
        Assert.Equal(400, _receiver.Write(Compress(Series(["__name__", "c"], (s_now, 6)))).StatusCode);
    }

    [Fact]
    public void Samples_more_than_ten_minutes_ahead_are_out_of_bounds()
    {
        var ahead = s_now + (long)TimeSpan.FromMinutes(11).TotalMilliseconds;

        var result = _receiver.Write(Compress(Series(["__name__", "c"], (ahead, 1))));

        Assert.Equal(400, result.StatusCode);
        Assert.StartsWith("out of bounds", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, _store.SampleCount());
    }

    [Fact]
    public void A_failing_store_is_500_so_the_sender_retries()
    {
        _store.FailCommits = true;

        var result = _receiver.Write(Compress(Series(["__name__", "c"], (s_now, 1))));

        Assert.Equal(500, result.StatusCode);
        Assert.Contains("disk full", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bodies_that_are_not_snappy_or_not_protobuf_are_400_with_the_reason()
    {
        var notSnappy = _receiver.Write("hello, this is not snappy at all"u8);
        var request = new WriteRequest();
        request.Timeseries.Add(Series(["__name__", "c"], (s_now, 1)));
        var truncated = _receiver.Write(Snappier.Snappy.CompressToArray(request.ToByteArray().AsSpan(..^2)));

        Assert.Equal(400, notSnappy.StatusCode);
        Assert.StartsWith("the body is not snappy-compressed", notSnappy.Error, StringComparison.Ordinal);
        Assert.Equal(400, truncated.StatusCode);
        Assert.StartsWith("the body is not a valid prometheus.WriteRequest: timeseries[0]:", truncated.Error, StringComparison.Ordinal);
        Assert.Equal(0, _store.SampleCount());
    }

    [Fact]
    public void A_body_that_decompresses_past_the_limit_is_413_before_it_is_decompressed()
    {
        var receiver = new RemoteWriteReceiver(_store, TimeProvider.System, maxDecompressedBytes: 1000);
        var big = Series(["__name__", "c"]);
        for (var i = 0; i < 200; i++)
        {
            big.Samples.Add(new Sample { Timestamp = s_now - 1000 + i, Value = i });
        }

        var result = receiver.Write(Compress(big));

        Assert.Equal(413, result.StatusCode);
        Assert.Equal(0, _store.SampleCount());
    }

    [Fact]
    public void Exemplars_metadata_and_unknown_fields_are_stepped_over()
    {
        var series = Series(["__name__", "c"], (s_now, 1));
        series.Exemplars.Add(new Exemplar { Value = 3, Timestamp = s_now, Labels = { new Prompb.Label { Name = "trace_id", Value = "abc" } } });
        // A native histogram (TimeSeries field 4, {count_int: 1}), which this proto does not declare, after the samples.
        var seriesBytes = series.ToByteArray().Concat(new byte[] { (4 << 3) | 2, 2, 1 << 3, 1 }).ToArray();
        var body = new MemoryStream();
        var output = new CodedOutputStream(body);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(seriesBytes));
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteMessage(new MetricMetadata { MetricFamilyName = "c", Help = "h", Type = MetricMetadata.Types.MetricType.Counter });
        output.Flush();

        var result = _receiver.Write(Snappier.Snappy.CompressToArray(body.ToArray()));

        Assert.Equal(204, result.StatusCode);
        Assert.Equal([(s_now, 1.0)], _store.Samples(Labels(("__name__", "c"))));
    }

    /// <summary>Keeps the label set instances it is given.</summary>
    private sealed class LabelRecordingAppendable(List<LabelSet> seen) : Storage.Metrics.ISampleAppendable
    {
        public Storage.Metrics.ISampleAppender Appender() => new Recorder(seen);

        private sealed class Recorder(List<LabelSet> seen) : Storage.Metrics.ISampleAppender
        {
            public ulong Append(ulong seriesRef, LabelSet labels, long timestampMs, double value)
            {
                seen.Add(labels);
                return 1;
            }

            public void Commit()
            {
            }

            public void Rollback()
            {
            }
        }
    }
}
