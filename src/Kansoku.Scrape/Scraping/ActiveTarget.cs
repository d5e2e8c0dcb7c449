using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Scraping;

public enum TargetHealth
{
    Unknown,
    Up,
    Down,
}

/// <summary>
/// One endpoint a scrape pool scrapes: its final labels (job, instance and the rest after relabelling), the labels
/// discovery gave it, its URL, and the outcome of its last scrape as the targets API shows it. Thread-safe to read.
/// </summary>
public sealed class ActiveTarget
{
    private volatile ScrapeStatus _status = ScrapeStatus.NotYetScraped;

    public ActiveTarget(string scrapePool, LabelSet labels, LabelSet discoveredLabels, Uri url, ScrapeSettings settings)
    {
        ScrapePool = scrapePool;
        Labels = labels;
        DiscoveredLabels = discoveredLabels;
        Url = url;
        Settings = settings;
        Identity = labels.Hash ^ System.IO.Hashing.XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(url.AbsoluteUri));
    }

    public string ScrapePool { get; }

    public LabelSet Labels { get; }

    public LabelSet DiscoveredLabels { get; }

    public Uri Url { get; }

    public ScrapeSettings Settings { get; }

    /// <summary>Labels and URL hashed: two targets with the same identity are the same target.</summary>
    public ulong Identity { get; }

    public ScrapeStatus Status => _status;

    /// <summary>The metric families the target announced in its last successful scrape.</summary>
    public IReadOnlyList<MetricMetadata> Metadata { get; private set; } = [];

    internal void Report(ScrapeStatus status, IReadOnlyList<MetricMetadata>? metadata)
    {
        if (metadata is not null)
        {
            Metadata = metadata;
        }
        _status = status;
    }
}

/// <summary>The outcome of a target's last scrape.</summary>
public sealed record ScrapeStatus(TargetHealth Health, DateTimeOffset LastScrape, TimeSpan LastScrapeDuration, string LastError, int SamplesScraped)
{
    public static ScrapeStatus NotYetScraped { get; } = new(TargetHealth.Unknown, DateTimeOffset.UnixEpoch, TimeSpan.Zero, "", 0);
}
