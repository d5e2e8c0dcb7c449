namespace Kansoku.LogQL.Engine.Templates;

/// <summary>What a template sees while rendering one entry: its labels, its line and timestamp, and the clock.</summary>
internal sealed class TemplateContext(TimeProvider clock)
{
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    public long TimestampUnixNano { get; private set; }

    /// <summary>The entry's line; set only for templates that call <c>__line__</c>.</summary>
    public string Line { get; private set; } = "";

    public TimeProvider Clock { get; } = clock;

    public void Reset(long timestamp, string line)
    {
        Labels.Clear();
        TimestampUnixNano = timestamp;
        Line = line;
    }
}
