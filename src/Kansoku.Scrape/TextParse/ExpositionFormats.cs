namespace Kansoku.Scrape.TextParse;

/// <summary>Content negotiation for scrapes, as Prometheus' scraper does it.</summary>
public static class ExpositionFormats
{
    /// <summary>
    /// The Accept header of a Prometheus 3 scrape with its default scrape_protocols (OpenMetrics 1.0.0, OpenMetrics 0.0.1,
    /// text 1.0.0, text 0.0.4) and UTF-8 names allowed: the formats by falling weight, then anything.
    /// </summary>
    public const string AcceptHeader =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
        + "application/openmetrics-text;version=0.0.1;q=0.5,"
        + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
        + "text/plain;version=0.0.4;q=0.3,"
        + "*/*;q=0.2";

    /// <summary>The Accept-Encoding header of a scrape with compression on (Prometheus' enable_compression default).</summary>
    public const string AcceptEncodingHeader = "gzip";

    /// <summary>
    /// The parser for a response's Content-Type: OpenMetrics for <c>application/openmetrics-text</c>, else the text format,
    /// which is also what a missing or unknown media type gets (Prometheus' fallback_scrape_protocol set to text 0.0.4).
    /// </summary>
    /// <param name="checks">For OpenMetrics: Prometheus' acceptance (the default, for scrapes) or the conformance suite's.</param>
    public static IExpositionParser CreateParser(string? contentType, ReadOnlyMemory<byte> body,
        OpenMetricsChecks checks = OpenMetricsChecks.Prometheus) =>
        IsOpenMetrics(contentType) ? new OpenMetricsParser(body, checks) : new PrometheusTextParser(body);

    /// <summary>Whether the media type (before any parameters, case-insensitive) is OpenMetrics text.</summary>
    public static bool IsOpenMetrics(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }
        var mediaType = contentType.AsSpan();
        var parameters = mediaType.IndexOf(';');
        if (parameters >= 0)
        {
            mediaType = mediaType[..parameters];
        }
        return mediaType.Trim().Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase);
    }
}
