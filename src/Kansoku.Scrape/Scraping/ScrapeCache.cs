using System.Text;
using Kansoku.Core.Labels;
using Kansoku.Scrape.TextParse;

namespace Kansoku.Scrape.Scraping;

/// <summary>
/// What one target's scrapes remember (Prometheus' scrapeCache): each exposed series' final labels and store reference,
/// keyed by the series' bytes so a repeated series costs one lookup; the series of the last scrape, for staleness; and the
/// metric metadata the target announced. Used by one scrape loop at a time.
/// </summary>
internal sealed class ScrapeCache
{
    /// <summary>Entries unseen for this many successful scrapes are forgotten.</summary>
    private const int IterationsToKeep = 10;

    private readonly Dictionary<byte[], SeriesEntry> _series = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], SeriesEntry>.AlternateLookup<ReadOnlySpan<byte>> _seriesBySpan;
    private readonly Dictionary<byte[], FamilyMetadata> _metadata = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], FamilyMetadata>.AlternateLookup<ReadOnlySpan<byte>> _metadataBySpan;
    private Dictionary<LabelSet, ulong> _previousSeries = [];
    private Dictionary<LabelSet, ulong> _currentSeries = [];
    private long _iteration;
    private IReadOnlyList<MetricMetadata> _metadataSnapshot = [];
    private bool _metadataChanged;

    public ScrapeCache()
    {
        _seriesBySpan = _series.GetAlternateLookup<ReadOnlySpan<byte>>();
        _metadataBySpan = _metadata.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public sealed class SeriesEntry(LabelSet? labels)
    {
        /// <summary>The labels stored, or null when metric relabelling drops the series.</summary>
        public LabelSet? Labels { get; } = labels;

        public ulong Ref { get; set; }

        public long LastIteration { get; set; }

        /// <summary>The timestamp of this series' sample in the current scrape, to drop repeats within one body.</summary>
        public long LastTimestampMs { get; set; } = long.MinValue;
    }

    public bool TryGet(ReadOnlySpan<byte> series, out SeriesEntry entry)
    {
        if (_seriesBySpan.TryGetValue(series, out var found))
        {
            found.LastIteration = _iteration;
            entry = found;
            return true;
        }
        entry = null!;
        return false;
    }

    public SeriesEntry Add(ReadOnlySpan<byte> series, LabelSet? labels)
    {
        var entry = new SeriesEntry(labels) { LastIteration = _iteration };
        _seriesBySpan[series] = entry;
        return entry;
    }

    public int SeriesCount => _series.Count;

    /// <summary>Records that the scrape in progress stored <paramref name="labels"/>; false if it already did.</summary>
    public bool MarkSeen(LabelSet labels, ulong seriesRef) => _currentSeries.TryAdd(labels, seriesRef);

    /// <summary>The series stored by the previous scrape and not by this one: they get staleness markers.</summary>
    public IEnumerable<KeyValuePair<LabelSet, ulong>> DisappearedSeries()
    {
        foreach (var pair in _previousSeries)
        {
            if (!_currentSeries.ContainsKey(pair.Key))
            {
                yield return pair;
            }
        }
    }

    /// <summary>The series of the last scrape that succeeded: all of them go stale when the target goes away.</summary>
    public IReadOnlyDictionary<LabelSet, ulong> LastScrapeSeries => _previousSeries;

    public void BeginScrape()
    {
        _iteration++;
        _currentSeries.Clear();
    }

    /// <summary>Ends a scrape: its series become the ones the next scrape is compared with.</summary>
    public void EndScrape(bool succeeded)
    {
        (_previousSeries, _currentSeries) = (_currentSeries, _previousSeries);
        _currentSeries.Clear();
        if (!succeeded)
        {
            return;
        }
        List<byte[]>? expired = null;
        foreach (var (key, entry) in _series)
        {
            if (_iteration - entry.LastIteration > IterationsToKeep)
            {
                (expired ??= []).Add(key);
            }
        }
        if (expired is not null)
        {
            foreach (var key in expired)
            {
                _series.Remove(key);
            }
        }
    }

    /// <summary>Takes the metadata line (TYPE, HELP or UNIT) <paramref name="parser"/> is on; other entries change nothing.</summary>
    public void Announce(ExpositionEntry entry, IExpositionParser parser)
    {
        switch (entry)
        {
            case ExpositionEntry.Type:
                SetType(parser.MetricFamily, parser.Type);
                break;
            case ExpositionEntry.Help:
                SetHelp(parser.MetricFamily, parser.HelpText);
                break;
            case ExpositionEntry.Unit:
                SetUnit(parser.MetricFamily, parser.Unit);
                break;
        }
    }

    private void SetType(ReadOnlySpan<byte> family, MetricType type)
    {
        var metadata = Metadata(family);
        if (metadata.Type != type)
        {
            metadata.Type = type;
            _metadataChanged = true;
        }
    }

    private void SetHelp(ReadOnlySpan<byte> family, ReadOnlySpan<byte> help)
    {
        var metadata = Metadata(family);
        if (!help.SequenceEqual(metadata.HelpBytes))
        {
            metadata.HelpBytes = help.ToArray();
            metadata.Help = Encoding.UTF8.GetString(help);
            _metadataChanged = true;
        }
    }

    private void SetUnit(ReadOnlySpan<byte> family, ReadOnlySpan<byte> unit)
    {
        var metadata = Metadata(family);
        if (!unit.SequenceEqual(metadata.UnitBytes))
        {
            metadata.UnitBytes = unit.ToArray();
            metadata.Unit = Encoding.UTF8.GetString(unit);
            _metadataChanged = true;
        }
    }

    /// <summary>
    /// The metric families the target announced, by name: the same list as last time unless a family, type, help or unit
    /// changed since, so that a target whose metadata is steady costs nothing here per scrape.
    /// </summary>
    public IReadOnlyList<MetricMetadata> MetadataSnapshot()
    {
        if (!_metadataChanged)
        {
            return _metadataSnapshot;
        }
        _metadataChanged = false;
        var list = new List<MetricMetadata>(_metadata.Count);
        foreach (var metadata in _metadata.Values)
        {
            list.Add(new MetricMetadata(metadata.Name, metadata.Type, metadata.Help, metadata.Unit));
        }
        list.Sort((a, b) => string.CompareOrdinal(a.MetricFamily, b.MetricFamily));
        _metadataSnapshot = list;
        return list;
    }

    private FamilyMetadata Metadata(ReadOnlySpan<byte> family)
    {
        if (!_metadataBySpan.TryGetValue(family, out var metadata))
        {
            metadata = new FamilyMetadata(Encoding.UTF8.GetString(family));
            _metadataBySpan[family] = metadata;
            _metadataChanged = true;
        }
        return metadata;
    }

    private sealed class FamilyMetadata(string name)
    {
        public string Name { get; } = name;
        public MetricType Type { get; set; }
        public byte[] HelpBytes { get; set; } = [];
        public string Help { get; set; } = "";
        public byte[] UnitBytes { get; set; } = [];
        public string Unit { get; set; } = "";
    }
}

/// <summary>A metric family's metadata as a target announced it (for /api/v1/metadata and /api/v1/targets/metadata).</summary>
public sealed record MetricMetadata(string MetricFamily, MetricType Type, string Help, string Unit);
