using Kansoku.Agent.Outputs.Records;

namespace Kansoku.Agent.Outputs.Loki;

/// <summary>
/// One configured stream label: a fixed value (<c>job=fluent-bit</c>) or the first of one or more record accessors
/// that yields a scalar (<c>pod=$kubernetes['pod_name']</c>). A label whose accessors find nothing is left out.
/// </summary>
internal sealed record LokiLabel(string Name, string? StaticValue, IReadOnlyList<RecordAccessor> Accessors)
{
    /// <summary>Loki label names match <c>[a-zA-Z_][a-zA-Z0-9_]*</c>; Fluent Bit turns other characters into <c>_</c>.</summary>
    public static string SanitizeName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return "_";
        }
        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length + 1] : new char[name.Length + 1];
        var length = 0;
        if (char.IsAsciiDigit(name[0]))
        {
            buffer[length++] = '_';
        }
        foreach (var c in name)
        {
            buffer[length++] = char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_';
        }
        return new string(buffer[..length]);
    }
}
