using System.Text;
using System.Text.Unicode;
using Kansoku.Core.Labels;
using Kansoku.Core.Protobuf;

namespace Kansoku.RemoteWrite.Receiver;

/// <summary>
/// Reads a serialized <c>prometheus.WriteRequest</c> (Prompb/remote.proto) series by series without building its
/// messages: a series' labels come from <see cref="LabelSetCache"/> keyed by their wire bytes (a sender writes the same
/// series request after request), so a series seen before costs no strings. Exemplars, histograms and metadata are
/// stepped over: the sample store keeps floats only. Wire errors are <see cref="FormatException"/>s saying where.
/// </summary>
internal ref struct WriteRequestReader
{
    // Tags are field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited); a known number with another wire
    // type is an unknown field, as in Google.Protobuf's generated code.
    private const uint TimeseriesTag = (1 << 3) | 2;
    private const uint LabelsTag = (1 << 3) | 2;
    private const uint SamplesTag = (2 << 3) | 2;
    private const uint LabelNameTag = (1 << 3) | 2;
    private const uint LabelValueTag = (2 << 3) | 2;
    private const uint SampleValueTag = (1 << 3) | 1;
    private const uint SampleTimestampTag = 2 << 3;

    private ProtobufReader _wire;
    private int _series = -1;

    // The series being read: where its fields start, and the end of the request around it.
    private int _seriesStart;
    private int _seriesOuterEnd;

    public WriteRequestReader(ReadOnlySpan<byte> message)
    {
        _wire = new ProtobufReader(message);
    }

    /// <summary>Which series (0-based) is being read, for messages.</summary>
    public readonly int SeriesIndex => _series;

    /// <summary>
    /// Moves to the next series and gives its labels, or null when they are not a valid series (no metric name, a
    /// repeated name, an empty name, bytes that are not UTF-8): Prometheus' receiver skips those and goes on. False at
    /// the end of the request. Then read the series' samples with <see cref="TryReadSample"/> until it returns false,
    /// before the next series.
    /// </summary>
    public bool TryReadSeries(LabelSetCache cache, out LabelSet? labels)
    {
        try
        {
            while (_wire.TryReadTag(out var tag))
            {
                if (tag == TimeseriesTag)
                {
                    _series++;
                    labels = EnterSeries(cache);
                    return true;
                }
                _wire.SkipField(tag);
            }
        }
        catch (ProtobufFormatException e)
        {
            throw Malformed(e.Message);
        }
        labels = null;
        return false;
    }

    /// <summary>The next sample of the series <see cref="TryReadSeries"/> moved to; false after the last one.</summary>
    public bool TryReadSample(out long timestampMs, out double value)
    {
        try
        {
            while (_wire.TryReadTag(out var tag))
            {
                if (tag == SamplesTag)
                {
                    (timestampMs, value) = ReadSample();
                    return true;
                }
                _wire.SkipField(tag);
            }
        }
        catch (ProtobufFormatException e)
        {
            throw Malformed(e.Message);
        }
        _wire.LeaveMessage(_seriesOuterEnd);
        timestampMs = 0;
        value = 0;
        return false;
    }

    private LabelSet? EnterSeries(LabelSetCache cache)
    {
        _seriesOuterEnd = _wire.EnterMessage("timeseries");
        _seriesStart = _wire.Position;
        // Senders write all the labels first, so their fields are one run of bytes: that run is the cache key. Labels
        // split by other fields are valid protobuf too, but uncached.
        var run = (Start: -1, Length: 0);
        var contiguous = true;
        while (true)
        {
            var fieldStart = _wire.Position;
            if (!_wire.TryReadTag(out var tag))
            {
                break;
            }
            _wire.SkipField(tag);
            if (tag != LabelsTag)
            {
                continue;
            }
            if (run.Start < 0)
            {
                run = (fieldStart, 0);
            }
            else if (fieldStart != run.Start + run.Length)
            {
                contiguous = false;
            }
            run.Length = _wire.Position - run.Start;
        }
        var key = run.Start < 0 ? [] : _wire.Slice(run);
        if (contiguous && cache.TryGet(key, out var cached))
        {
            _wire.Rewind(_seriesStart);
            return cached;
        }
        _wire.Rewind(_seriesStart);
        var labels = DecodeLabels();
        _wire.Rewind(_seriesStart);
        if (labels is not null && contiguous)
        {
            cache.Add(key, labels);
        }
        return labels;
    }

    /// <summary>Every label field of the series (the first pass has checked their wire format), or null for an invalid set.</summary>
    private LabelSet? DecodeLabels()
    {
        var labels = new List<Label>();
        var valid = true;
        while (_wire.TryReadTag(out var tag))
        {
            if (tag != LabelsTag)
            {
                _wire.SkipField(tag);
                continue;
            }
            var outerEnd = _wire.EnterMessage("labels");
            var name = (Start: 0, Length: 0);
            var value = (Start: 0, Length: 0);
            while (_wire.TryReadTag(out var field))
            {
                switch (field)
                {
                    case LabelNameTag:
                        name = _wire.ReadBytes("label name");
                        break;
                    case LabelValueTag:
                        value = _wire.ReadBytes("label value");
                        break;
                    default:
                        _wire.SkipField(field);
                        break;
                }
            }
            _wire.LeaveMessage(outerEnd);
            var nameBytes = _wire.Slice(name);
            var valueBytes = _wire.Slice(value);
            if (nameBytes.IsEmpty || !Utf8.IsValid(nameBytes) || !Utf8.IsValid(valueBytes))
            {
                valid = false;
                continue;
            }
            labels.Add(new Label(Encoding.UTF8.GetString(nameBytes), Encoding.UTF8.GetString(valueBytes)));
        }
        return valid ? ToLabelSet(labels) : null;
    }

    private static LabelSet? ToLabelSet(List<Label> labels)
    {
        labels.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var hasName = false;
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0 && string.Equals(labels[i].Name, labels[i - 1].Name, StringComparison.Ordinal))
            {
                return null;
            }
            hasName |= labels[i].Name == "__name__" && labels[i].Value.Length > 0;
        }
        return hasName ? LabelSet.From(labels) : null;
    }

    /// <summary>A repeated field of a sample replaces the one before, as Google.Protobuf merges it.</summary>
    private (long TimestampMs, double Value) ReadSample()
    {
        var outerEnd = _wire.EnterMessage("samples");
        long timestamp = 0;
        double value = 0;
        while (_wire.TryReadTag(out var tag))
        {
            switch (tag)
            {
                case SampleValueTag:
                    value = _wire.ReadDouble("sample value");
                    break;
                case SampleTimestampTag:
                    timestamp = _wire.ReadInt64("sample timestamp");
                    break;
                default:
                    _wire.SkipField(tag);
                    break;
            }
        }
        _wire.LeaveMessage(outerEnd);
        return (timestamp, value);
    }

    private readonly FormatException Malformed(string problem)
    {
        var where = _series < 0 ? "" : $"timeseries[{_series}]: ";
        return new FormatException($"the body is not a valid prometheus.WriteRequest: {where}{problem}");
    }
}
