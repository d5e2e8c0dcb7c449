namespace Kansoku.Agent.Config;

/// <summary>
/// Prints a loaded configuration for <c>kansoku agent --check</c>: the service, inputs, the parsers they use, filters and
/// outputs with what they match, every key with where it was written, then the warnings. The output depends only on the
/// specification, so two runs on the same files print the same text. Printing reads the properties directly and marks
/// nothing used.
/// </summary>
internal static class PipelineSpecPrinter
{
    /// <summary>Keys of inputs and filters that name parsers (tail, parser, kubernetes, multiline); values may be comma-separated lists.</summary>
    private static readonly string[] s_parserKeys = ["Parser", "multiline.parser", "docker_mode.parser", "Merge_Parser"];

    /// <summary>Long values (regular expressions) are not padded to, so one of them does not push every location far right.</summary>
    private const int MaxValueColumn = 48;

    public static void Print(PipelineSpec spec, TextWriter writer)
    {
        writer.WriteLine($"service ({spec.Service.Location})");
        WriteProperties(spec.Service, writer);

        WriteHeading(writer, "inputs", spec.Inputs.Count);
        foreach (var input in spec.Inputs)
        {
            writer.WriteLine($"  input {input.Type} ({input.Location})");
            WriteProperties(input, writer);
        }

        WriteParsers(spec, writer);

        WriteHeading(writer, "filters", spec.Filters.Count);
        foreach (var filter in spec.Filters)
        {
            writer.WriteLine($"  filter {filter.Type}, {Match(filter)} ({filter.Location})");
            WriteProperties(filter, writer);
        }

        WriteHeading(writer, "outputs", spec.Outputs.Count);
        foreach (var output in spec.Outputs)
        {
            writer.WriteLine($"  output {output.Type}, {Match(output)} ({output.Location})");
            WriteProperties(output, writer);
        }

        WriteHeading(writer, "warnings", spec.Warnings.Count);
        foreach (var warning in spec.Warnings)
        {
            writer.WriteLine($"  {warning}");
        }
    }

    private static void WriteHeading(TextWriter writer, string name, int count)
    {
        writer.WriteLine();
        writer.WriteLine(count == 0 ? $"{name}: none" : $"{name} ({count})");
    }

    private static void WriteParsers(PipelineSpec spec, TextWriter writer)
    {
        var used = new List<string>();
        foreach (var component in spec.Inputs.Concat(spec.Filters))
        {
            foreach (var property in component.Properties)
            {
                if (s_parserKeys.Any(k => string.Equals(k, property.Key, StringComparison.OrdinalIgnoreCase)))
                {
                    foreach (var name in property.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!used.Contains(name, StringComparer.OrdinalIgnoreCase))
                        {
                            used.Add(name);
                        }
                    }
                }
            }
        }
        WriteHeading(writer, "parsers used", used.Count);
        foreach (var name in used)
        {
            if (spec.Parsers.TryGetValue(name, out var parser))
            {
                writer.WriteLine($"  parser {name}: {parser.Type} ({parser.Location})");
                WriteProperties(parser, writer);
            }
            else if (spec.MultilineParsers.TryGetValue(name, out var multiline))
            {
                writer.WriteLine($"  multiline parser {name}: {multiline.Type} ({multiline.Location})");
                WriteProperties(multiline, writer);
            }
            else
            {
                writer.WriteLine($"  {name}: not defined in the configuration (a built-in parser, or a mistake)");
            }
        }
        var unused = spec.Parsers.Keys.Concat(spec.MultilineParsers.Keys)
            .Where(name => !used.Contains(name, StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unused.Count > 0)
        {
            writer.WriteLine($"  defined but not used: {string.Join(", ", unused)}");
        }
    }

    private static string Match(ComponentSpec component)
    {
        var match = LastValue(component, "Match");
        var regex = LastValue(component, "Match_Regex");
        return (match, regex) switch
        {
            // Unlike Fluent Bit, which routes nothing to a section without Match, Kansoku routes every record to it.
            (null, null) => "no Match (all records)",
            (not null, null) => $"Match {match}",
            (null, not null) => $"Match_Regex {regex}",
            _ => $"Match {match}, Match_Regex {regex}",
        };
    }

    private static string? LastValue(ComponentSpec component, string key) =>
        component.Properties.LastOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase))?.Value;

    private static void WriteProperties(ComponentSpec component, TextWriter writer)
    {
        if (component.Properties.Count == 0)
        {
            return;
        }
        var keyWidth = component.Properties.Max(p => p.Key.Length);
        var valueWidth = Math.Min(MaxValueColumn, component.Properties.Max(p => p.Value.Length));
        foreach (var property in component.Properties)
        {
            writer.WriteLine($"    {property.Key.PadRight(keyWidth)}  {property.Value.PadRight(valueWidth)}  {property.Location}");
        }
    }
}
