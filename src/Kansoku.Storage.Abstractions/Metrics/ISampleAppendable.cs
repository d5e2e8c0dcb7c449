namespace Kansoku.Storage.Metrics;

/// <summary>Where samples are written (Prometheus' <c>storage.Appendable</c>): scrapes, remote write, rules and backfill.</summary>
public interface ISampleAppendable
{
    /// <summary>A new transaction. Appenders are not thread-safe; use one per writer.</summary>
    ISampleAppender Appender();
}
