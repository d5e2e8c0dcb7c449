namespace Kansoku.LogQL.Engine;

/// <summary>Label names and values with a meaning in Loki's pipelines.</summary>
internal static class LokiLabels
{
    /// <summary>Set by a stage that failed on an entry; metric queries fail on series that carry it.</summary>
    public const string Error = "__error__";

    /// <summary>The failure's message, next to <see cref="Error"/>.</summary>
    public const string ErrorDetails = "__error_details__";

    /// <summary>Marks series whose errors the query asked for (grouping by <c>__error__</c>).</summary>
    public const string PreserveError = "__preserve_error__";

    /// <summary>Suffix of a parsed label whose name a stream label already has.</summary>
    public const string ExtractedSuffix = "_extracted";

    /// <summary>The <c>unpack</c> key that holds the original line.</summary>
    public const string PackedEntry = "_entry";

    public const string JsonParserError = "JSONParserErr";
    public const string LogfmtParserError = "LogfmtParserErr";
    public const string SampleExtractionError = "SampleExtractionErr";
    public const string LabelFilterError = "LabelFilterErr";
    public const string TemplateFormatError = "TemplateFormatErr";
}
