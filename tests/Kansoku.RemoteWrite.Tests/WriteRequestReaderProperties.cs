using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Kansoku.Core.Labels;
using Kansoku.RemoteWrite.Prompb;
using Kansoku.RemoteWrite.Receiver;

namespace Kansoku.RemoteWrite.Tests;

/// <summary>The reader against Google.Protobuf's generated parser of the same bytes, on requests FsCheck makes up.</summary>
public sealed class WriteRequestReaderProperties
{
    private static readonly string[] s_names = ["__name__", "job", "instance", "le", "a", "ünïcode"];
    private static readonly string[] s_values = ["", "up", "x", "node-1:9100", "0.5", "日本"];

    private static Arbitrary<WriteRequest> Requests()
    {
        var label = from name in Gen.Elements(s_names)
                    from value in Gen.Elements(s_values)
                    select new Prompb.Label { Name = name, Value = value };
        var sample = from timestamp in Gen.Choose(-1000, 1000)
                     from value in Gen.Elements(0.0, -1.5, double.NaN, double.PositiveInfinity, 1e300, 42)
                     select new Sample { Timestamp = timestamp * 1_000_003L, Value = value };
        var series = from labels in Gen.ListOf(label)
                     from samples in Gen.ListOf(sample)
                     select new TimeSeries { Labels = { labels }, Samples = { samples } };
        return (from timeseries in Gen.ListOf(series) select new WriteRequest { Timeseries = { timeseries } }).ToArbitrary();
    }

    [Property(MaxTest = 300)]
    public Property Every_series_reads_as_google_protobuf_parses_it_and_invalid_ones_as_null()
        => Prop.ForAll(Requests(), request =>
        {
            var bytes = request.ToByteArray();
            var parsed = WriteRequest.Parser.ParseFrom(bytes);
            var reader = new WriteRequestReader(bytes);
            var cache = new LabelSetCache(16);
            var index = 0;
            while (reader.TryReadSeries(cache, out var labels))
            {
                var expected = parsed.Timeseries[index++];
                Assert.Equal(Expected(expected.Labels), labels);
                var samples = new List<(long, ulong)>();
                while (reader.TryReadSample(out var timestamp, out var value))
                {
                    samples.Add((timestamp, BitConverter.DoubleToUInt64Bits(value)));
                }
                Assert.Equal(expected.Samples.Select(s => (s.Timestamp, BitConverter.DoubleToUInt64Bits(s.Value))), samples);
            }
            Assert.Equal(parsed.Timeseries.Count, index);
        });

    /// <summary>Prometheus' rule: a metric name, no repeated label names; empty values mean absent.</summary>
    private static LabelSet? Expected(IEnumerable<Prompb.Label> labels)
    {
        var list = labels.ToList();
        var named = list.Any(l => l.Name == "__name__" && l.Value.Length > 0);
        var repeated = list.GroupBy(l => l.Name).Any(g => g.Count() > 1);
        return named && !repeated ? LabelSet.From(list.Select(l => (l.Name, l.Value)).ToArray()) : null;
    }

    [Property(MaxTest = 100)]
    public Property A_truncated_request_is_refused_exactly_when_google_protobuf_refuses_it()
        => Prop.ForAll(Requests(), Gen.Choose(0, 1000).ToArbitrary(), (request, cut) =>
        {
            var bytes = request.ToByteArray();
            var prefix = bytes.AsSpan(0, bytes.Length == 0 ? 0 : cut % bytes.Length).ToArray();
            var protobufRefuses = false;
            try
            {
                WriteRequest.Parser.ParseFrom(prefix);
            }
            catch (InvalidProtocolBufferException)
            {
                protobufRefuses = true;
            }
            Assert.Equal(protobufRefuses, ReaderRefuses(prefix));
        });

    private static bool ReaderRefuses(byte[] message)
    {
        var reader = new WriteRequestReader(message);
        try
        {
            while (reader.TryReadSeries(new LabelSetCache(16), out _))
            {
                while (reader.TryReadSample(out _, out _))
                {
                }
            }
            return false;
        }
        catch (FormatException)
        {
            return true;
        }
    }
}
