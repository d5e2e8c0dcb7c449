namespace Kansoku.Scrape.TextParse;

/// <summary>
/// How strictly OpenMetrics bodies are judged. The two differ because real exporters break family rules that the
/// conformance suite enforces: Prometheus' own textparse test data (client_golang's example) has a histogram with
/// negative buckets and a negative <c>_sum</c>, which the suite rejects (bad_histograms_3) and Prometheus scrapes.
/// </summary>
public enum OpenMetricsChecks
{
    /// <summary>The syntax and metadata rules, as Prometheus' scraper applies them; the choice for scrapes.</summary>
    Prometheus,

    /// <summary>Also the family rules of the OpenMetrics conformance suite (value ranges, grouping, histograms, names).</summary>
    Conformance,
}
