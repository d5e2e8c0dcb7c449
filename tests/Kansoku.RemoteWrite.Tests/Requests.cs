using Google.Protobuf;
using Kansoku.RemoteWrite.Prompb;

namespace Kansoku.RemoteWrite.Tests;

/// <summary>Remote write requests as a sender writes them: Google.Protobuf's encoding of Prompb/remote.proto, snappy-compressed.</summary>
internal static class Requests
{
    public static TimeSeries Series(string[] labels, params (long TimestampMs, double Value)[] samples)
    {
        var series = new TimeSeries();
        for (var i = 0; i < labels.Length; i += 2)
        {
            series.Labels.Add(new Label { Name = labels[i], Value = labels[i + 1] });
        }
        foreach (var (timestamp, value) in samples)
        {
            series.Samples.Add(new Sample { Timestamp = timestamp, Value = value });
        }
        return series;
    }

    public static byte[] Compress(params TimeSeries[] series)
    {
        var request = new WriteRequest();
        request.Timeseries.Add(series);
        return Snappier.Snappy.CompressToArray(request.ToByteArray());
    }
}
