using System.IO.Hashing;

namespace Kansoku.Scrape.TextParse;

/// <summary>
/// Families and groups, which the <c>_created</c> look-ahead needs, and (with <see cref="OpenMetricsChecks.Conformance"/>)
/// the family rules the OpenMetrics conformance suite checks (its reference is the Python client's parser): metadata
/// before samples and at most once each; a sample belongs to the family when its name is the family's name plus a suffix
/// of the family's type, otherwise it starts an unknown family; no two families may claim the same sample name; samples of
/// one group (labels less le, quantile or the stateset label) stay together with timestamps all present or all absent and
/// not going back; counter-like values are neither NaN nor negative; histograms have ordered buckets ending in +Inf
/// whose count matches _count. The state is per family and reused, so a series line allocates nothing once the sets have
/// grown to the body's size.
/// </summary>
internal sealed partial class OpenMetricsParser
{
    private ByteToken _familyName = ByteToken.None;
    private MetricType _familyType;
    private bool _familyHasType;
    private bool _familyHasHelp;
    private bool _familyHasUnit;
    private bool _familyHasSamples;
    private ByteToken _familyUnit = ByteToken.None;

    // Hashes of every sample name a finished family claims (name + each suffix of its type); a 64-bit hash collision
    // would reject a valid body, at odds small enough to ignore.
    private readonly HashSet<ulong> _claimedNames = [];
    private byte[] _nameScratch = new byte[128];

    private readonly HashSet<ulong> _seenGroups = [];
    private bool _hasGroup;
    private ulong _group;
    private double? _groupTimestamp;

    // The histogram run being checked: consecutive samples with one group and one timestamp.
    private bool _runOpen;
    private ulong _runGroup;
    private double? _runTimestamp;
    private double? _runBucket;
    private double _runBucketCount;
    private double? _runCount;
    private bool _runHasNegativeBucket;
    private bool _runHasSum;
    private bool _runHasGaugeSum;
    private bool _runHasNegativeGaugeSum;

    // The current group's _created value, once seen or looked ahead for.
    private bool _createdKnown;
    private long? _createdMs;
    private LabelToken[] _lookAheadLabels = new LabelToken[16];

    private enum Suffix
    {
        NotMember,
        None,
        Total,
        Created,
        Count,
        Sum,
        Bucket,
        GaugeCount,
        GaugeSum,
        Info,
    }

    public override long? CreatedTimestampMs
    {
        get
        {
            if (!_atSeries || _familyType is not (MetricType.Counter or MetricType.Histogram or MetricType.Summary))
            {
                return null;
            }
            if (!_createdKnown)
            {
                _createdMs = LookAheadForCreated();
                _createdKnown = true;
            }
            return _createdMs;
        }
    }

    private void BeginMetadata(ReadOnlySpan<byte> body, ByteToken name, int lineStart)
    {
        if (_familyName.IsPresent && name.Of(body).SequenceEqual(_familyName.Of(body)))
        {
            if (_familyHasSamples)
            {
                Fail(lineStart, "metadata after the family's samples");
            }
            return;
        }
        FinishFamily(lineStart);
        StartFamily(name);
    }

    private void SetHelp(int lineStart)
    {
        if (_familyHasHelp)
        {
            Fail(lineStart, "second HELP for the family");
        }
        _familyHasHelp = true;
    }

    private void SetType(int lineStart, MetricType type)
    {
        if (_familyHasType)
        {
            Fail(lineStart, "second TYPE for the family");
        }
        _familyHasType = true;
        _familyType = type;
    }

    private void SetUnit(int lineStart, ByteToken unit)
    {
        if (_familyHasUnit)
        {
            Fail(lineStart, "second UNIT for the family");
        }
        _familyHasUnit = true;
        _familyUnit = unit;
    }

    private void StartFamily(ByteToken name)
    {
        _familyName = name;
        _familyType = MetricType.Unknown;
        _familyHasType = _familyHasHelp = _familyHasUnit = _familyHasSamples = false;
        _familyUnit = ByteToken.None;
        _seenGroups.Clear();
        _hasGroup = false;
        _runOpen = false;
        _createdKnown = false;
    }

    /// <summary>Closes the current family: its last histogram run, its unit, and the sample names it claims.</summary>
    private void FinishFamily(int lineStart)
    {
        if (!_familyName.IsPresent)
        {
            return;
        }
        if (checks == OpenMetricsChecks.Conformance)
        {
            CheckFinishedFamily(lineStart);
        }
        _familyName = ByteToken.None;
    }

    private void CheckFinishedFamily(int lineStart)
    {
        var body = Body;
        if (_runOpen)
        {
            CheckHistogramRun(lineStart);
        }
        var name = _familyName.Of(body);
        if (_familyHasUnit && _familyUnit.Length > 0)
        {
            var unit = _familyUnit.Of(body);
            if (!(name.Length > unit.Length && name.EndsWith(unit) && name[name.Length - unit.Length - 1] == '_'))
            {
                Fail(lineStart, "the unit is not the end of the family's name");
            }
            if (_familyType is MetricType.Info or MetricType.StateSet)
            {
                Fail(lineStart, "info and stateset families have no unit");
            }
        }
        var allowed = AllowedSuffixes(_familyType) | Bit(Suffix.None);
        for (var suffix = Suffix.None; suffix <= Suffix.Info; suffix++)
        {
            if ((allowed & Bit(suffix)) != 0 && !_claimedNames.Add(NameHash(name, SuffixText(suffix))))
            {
                Fail(lineStart, "a metric family name clashes with another family's samples");
            }
        }
    }

    private ulong NameHash(ReadOnlySpan<byte> name, ReadOnlySpan<byte> suffix)
    {
        var length = name.Length + suffix.Length;
        if (_nameScratch.Length < length)
        {
            _nameScratch = new byte[length * 2];
        }
        name.CopyTo(_nameScratch);
        suffix.CopyTo(_nameScratch.AsSpan(name.Length));
        return XxHash3.HashToUInt64(_nameScratch.AsSpan(0, length));
    }

    private static int AllowedSuffixes(MetricType type) => type switch
    {
        MetricType.Counter => Bit(Suffix.Total) | Bit(Suffix.Created),
        MetricType.Summary => Bit(Suffix.None) | Bit(Suffix.Count) | Bit(Suffix.Sum) | Bit(Suffix.Created),
        MetricType.Histogram => Bit(Suffix.Count) | Bit(Suffix.Sum) | Bit(Suffix.Bucket) | Bit(Suffix.Created),
        MetricType.GaugeHistogram => Bit(Suffix.GaugeCount) | Bit(Suffix.GaugeSum) | Bit(Suffix.Bucket),
        MetricType.Info => Bit(Suffix.Info),
        _ => Bit(Suffix.None),
    };

    private static int Bit(Suffix suffix) => 1 << (int)suffix;

    private static ReadOnlySpan<byte> SuffixText(Suffix suffix) => suffix switch
    {
        Suffix.Total => "_total"u8,
        Suffix.Created => "_created"u8,
        Suffix.Count => "_count"u8,
        Suffix.Sum => "_sum"u8,
        Suffix.Bucket => "_bucket"u8,
        Suffix.GaugeCount => "_gcount"u8,
        Suffix.GaugeSum => "_gsum"u8,
        Suffix.Info => "_info"u8,
        _ => [],
    };

    /// <summary>Which of the current family's sample names <paramref name="name"/> is, or <see cref="Suffix.NotMember"/>.</summary>
    private Suffix MemberSuffix(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name)
    {
        if (!_familyName.IsPresent)
        {
            return Suffix.NotMember;
        }
        var family = _familyName.Of(body);
        if (!name.StartsWith(family))
        {
            return Suffix.NotMember;
        }
        var rest = name[family.Length..];
        var suffix = rest switch
        {
            [] => Suffix.None,
            _ when rest.SequenceEqual("_total"u8) => Suffix.Total,
            _ when rest.SequenceEqual("_created"u8) => Suffix.Created,
            _ when rest.SequenceEqual("_count"u8) => Suffix.Count,
            _ when rest.SequenceEqual("_sum"u8) => Suffix.Sum,
            _ when rest.SequenceEqual("_bucket"u8) => Suffix.Bucket,
            _ when rest.SequenceEqual("_gcount"u8) => Suffix.GaugeCount,
            _ when rest.SequenceEqual("_gsum"u8) => Suffix.GaugeSum,
            _ when rest.SequenceEqual("_info"u8) => Suffix.Info,
            _ => Suffix.NotMember,
        };
        return (AllowedSuffixes(_familyType) & Bit(suffix)) != 0 ? suffix : Suffix.NotMember;
    }

    /// <summary>Places the sample just read in its family and group, applying the family rules when asked to; returns its suffix.</summary>
    private Suffix CheckSample(ReadOnlySpan<byte> body, int lineStart, in SampleLine line, double? timestamp)
    {
        var suffix = MemberSuffix(body, line.Name.Of(body));
        if (suffix == Suffix.NotMember)
        {
            FinishFamily(lineStart);
            StartFamily(line.Name);
            suffix = Suffix.None;
        }
        _familyHasSamples = true;
        var type = _familyType;
        var labels = _labels.AsSpan(0, line.LabelCount);
        var excluded = type == MetricType.StateSet ? IndexOf(body, labels, _familyName.Of(body))
            : suffix == Suffix.Bucket ? IndexOf(body, labels, "le"u8)
            : type == MetricType.Summary && suffix == Suffix.None ? IndexOf(body, labels, "quantile"u8)
            : -1;
        var group = type == MetricType.Info ? 0 : GroupHash(body, labels, excluded);
        var sameGroup = _hasGroup && group == _group;
        if (!sameGroup)
        {
            _createdKnown = false;
        }
        if (checks == OpenMetricsChecks.Conformance)
        {
            CheckFamilyRules(body, lineStart, line, timestamp, suffix, labels, excluded, group, sameGroup);
        }
        _hasGroup = true;
        _group = group;
        _groupTimestamp = timestamp;
        if (suffix == Suffix.Created)
        {
            _createdMs = ToMilliseconds(_value);
            _createdKnown = true;
        }
        return suffix;
    }

    private void CheckFamilyRules(ReadOnlySpan<byte> body, int lineStart, in SampleLine line, double? timestamp, Suffix suffix,
        ReadOnlySpan<LabelToken> labels, int excluded, ulong group, bool sameGroup)
    {
        var type = _familyType;
        double le = 0;
        if (type == MetricType.StateSet && excluded < 0)
        {
            Fail(lineStart, "a stateset sample needs the label named after its family");
        }
        if (suffix == Suffix.Bucket && (excluded < 0 || !TryParseBound(labels[excluded].Value.Of(body), out le)))
        {
            Fail(lineStart, "a bucket needs an le label with a number");
        }
        if (type == MetricType.Summary && suffix == Suffix.None
            && (excluded < 0 || !TryParseBound(labels[excluded].Value.Of(body), out var quantile) || quantile is not (>= 0 and <= 1)))
        {
            Fail(lineStart, "a quantile needs a quantile label between 0 and 1");
        }

        if (sameGroup)
        {
            if (timestamp.HasValue != _groupTimestamp.HasValue)
            {
                Fail(lineStart, "samples of a group mix having and lacking timestamps");
            }
            if (timestamp < _groupTimestamp && type != MetricType.Info)
            {
                Fail(lineStart, "timestamps go back within a group");
            }
        }
        else if (!_seenGroups.Add(group))
        {
            Fail(lineStart, "samples of a group are not together");
        }

        CheckValue(lineStart, type, suffix);
        if (line.HasExemplar && !(suffix == Suffix.Bucket || (type == MetricType.Counter && suffix == Suffix.Total)))
        {
            Fail(lineStart, "only histogram buckets and counter totals have exemplars");
        }
        if (type is MetricType.Histogram or MetricType.GaugeHistogram)
        {
            AddToHistogramRun(lineStart, suffix, group, timestamp, le);
        }
    }

    private void CheckValue(int lineStart, MetricType type, Suffix suffix)
    {
        var value = _value;
        if (type == MetricType.StateSet && value is not (0 or 1))
        {
            Fail(lineStart, "stateset values are 0 or 1");
        }
        if (type == MetricType.Info && value != 1)
        {
            Fail(lineStart, "info values are 1");
        }
        if (type == MetricType.Summary && suffix == Suffix.None && value < 0)
        {
            Fail(lineStart, "quantile values are not negative");
        }
        var counterLike = suffix is Suffix.Total or Suffix.Sum or Suffix.Count or Suffix.Bucket or Suffix.GaugeCount or Suffix.GaugeSum;
        if (counterLike && double.IsNaN(value))
        {
            Fail(lineStart, "counter-like values are not NaN");
        }
        if (counterLike && suffix != Suffix.GaugeSum && value < 0)
        {
            Fail(lineStart, "counter-like values are not negative");
        }
    }

    /// <summary>An le or quantile value: a number, not NaN, infinities spelled +Inf and -Inf exactly.</summary>
    private static bool TryParseBound(ReadOnlySpan<byte> text, out double value) =>
        ExpositionSyntax.TryParseNumber(text, out value) && !double.IsNaN(value)
        && (!double.IsInfinity(value) || text.SequenceEqual("+Inf"u8) || text.SequenceEqual("-Inf"u8));

    private static int IndexOf(ReadOnlySpan<byte> body, ReadOnlySpan<LabelToken> labels, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i].Name.Of(body).SequenceEqual(name))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>An order-independent hash of the labels (less one), so that equal label sets written in any order agree.</summary>
    private static ulong GroupHash(ReadOnlySpan<byte> body, ReadOnlySpan<LabelToken> labels, int excluded)
    {
        ulong hash = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (i != excluded)
            {
                var nameHash = XxHash3.HashToUInt64(labels[i].Name.Of(body));
                hash += XxHash3.HashToUInt64(labels[i].Value.Of(body), unchecked((long)nameHash));
            }
        }
        return hash;
    }

    private void AddToHistogramRun(int lineStart, Suffix suffix, ulong group, double? timestamp, double le)
    {
        if (!_runOpen || group != _runGroup || timestamp != _runTimestamp)
        {
            if (_runOpen)
            {
                CheckHistogramRun(lineStart);
            }
            _runOpen = true;
            _runGroup = group;
            _runTimestamp = timestamp;
            _runBucket = null;
            _runBucketCount = 0;
            _runCount = null;
            _runHasNegativeBucket = _runHasSum = _runHasGaugeSum = _runHasNegativeGaugeSum = false;
        }
        switch (suffix)
        {
            case Suffix.Bucket:
                if (_runBucket is { } previous && le <= previous)
                {
                    Fail(lineStart, "buckets out of order");
                }
                if (_value < _runBucketCount)
                {
                    Fail(lineStart, "bucket counts go down");
                }
                _runHasNegativeBucket |= le < 0;
                _runBucket = le;
                _runBucketCount = _value;
                break;
            case Suffix.Count or Suffix.GaugeCount:
                _runCount = _value;
                break;
            case Suffix.Sum:
                _runHasSum = true;
                break;
            case Suffix.GaugeSum:
                _runHasGaugeSum = true;
                _runHasNegativeGaugeSum |= _value < 0;
                break;
        }
    }

    private void CheckHistogramRun(int lineStart)
    {
        _runOpen = false;
        if (_runBucket is not double.PositiveInfinity)
        {
            Fail(lineStart, "histogram without a +Inf bucket");
        }
        if (_runCount is { } count && count != _runBucketCount)
        {
            Fail(lineStart, "histogram count differs from its +Inf bucket");
        }
        if ((_runHasSum || _runHasGaugeSum) && _runCount is null)
        {
            Fail(lineStart, "histogram with a sum but no count");
        }
        if (!(_runHasSum || _runHasGaugeSum) && _runCount is not null)
        {
            Fail(lineStart, "histogram with a count but no sum");
        }
        if (_runHasNegativeBucket && _runHasSum)
        {
            Fail(lineStart, "histogram with negative buckets has no _sum");
        }
        if (!_runHasNegativeBucket && _runHasNegativeGaugeSum)
        {
            Fail(lineStart, "gauge histogram with a negative _gsum but no negative buckets");
        }
    }

    /// <summary>
    /// Finds the current group's <c>_created</c> sample further down (it may follow the sample asked about), reading on
    /// only while lines stay in the family and the group; a malformed line ends the search, and <see cref="Next"/>
    /// reports it when it gets there.
    /// </summary>
    private long? LookAheadForCreated()
    {
        var body = Body;
        var position = _position;
        while (position < body.Length && body[position] is not ((byte)'#' or (byte)'\n'))
        {
            if (TryReadSampleLine(body, position, ref _lookAheadLabels, out var line, out var error) >= 0 || error is not null)
            {
                return null;
            }
            var suffix = MemberSuffix(body, line.Name.Of(body));
            if (suffix == Suffix.NotMember)
            {
                return null;
            }
            var labels = _lookAheadLabels.AsSpan(0, line.LabelCount);
            var excluded = suffix == Suffix.Bucket ? IndexOf(body, labels, "le"u8)
                : suffix == Suffix.None ? IndexOf(body, labels, "quantile"u8)
                : -1;
            if (GroupHash(body, labels, excluded) != _group)
            {
                return null;
            }
            if (suffix == Suffix.Created)
            {
                return ExpositionSyntax.TryParseNumber(line.Value.Of(body), out var seconds) ? ToMilliseconds(seconds) : null;
            }
            position = line.LineEnd + 1;
        }
        return null;
    }
}
