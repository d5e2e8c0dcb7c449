namespace Kansoku.Agent.Outputs.Loki;

internal enum LokiLineFormat
{
    /// <summary>The record as JSON.</summary>
    Json,

    /// <summary>Top-level <c>key=value</c> pairs separated by spaces; nested maps as JSON.</summary>
    KeyValue,
}
