namespace Kansoku.Agent.Config;

/// <summary>
/// A section as a loader read it, before variables are expanded and its type key is taken out. Expansion waits until
/// every file of a document is read because Fluent Bit applies all <c>@SET</c> lines before any property.
/// </summary>
/// <param name="KeyPrefix">What error messages put before a key: empty for the classic format,
/// <c>pipeline.inputs[0].</c> for YAML.</param>
internal sealed record RawSection(ComponentKind Kind, SourceLocation Location, string KeyPrefix, List<ConfigProperty> Properties)
{
    /// <summary>How an error names <paramref name="key"/> of this section: <c>Name</c> in the classic format, <c>pipeline.inputs[0].name</c> in YAML.</summary>
    public string KeyName(string key) => KeyPrefix.Length == 0 ? key : KeyPrefix + key.ToLowerInvariant();

    /// <summary><c>[INPUT]</c> or <c>pipeline.inputs[0]</c>, for messages.</summary>
    public string Label => KeyPrefix.Length == 0
        ? "[" + SectionNames.Of(Kind) + "]"
        : KeyPrefix.TrimEnd('.');
}
