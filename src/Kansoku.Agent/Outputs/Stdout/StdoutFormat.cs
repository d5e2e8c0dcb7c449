namespace Kansoku.Agent.Outputs.Stdout;

internal enum StdoutFormat
{
    /// <summary>One JSON object per line, as the pipeline serialised it.</summary>
    JsonLines,

    /// <summary>Fluent Bit's <c>json</c>: each batch as one JSON array on one line.</summary>
    Json,
}
