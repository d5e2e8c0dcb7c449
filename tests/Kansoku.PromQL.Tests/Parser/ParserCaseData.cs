using System.Text.Json;
using Kansoku.Testing;

namespace Kansoku.PromQL.Tests.Parser;

/// <summary>
/// Reads the table-driven cases in testdata/*.jsonl: the inputs and expected first errors of Prometheus'
/// promql/parser parse_test.go and the input/output pairs of printer_test.go (commit d15adb9), one JSON object a line.
/// </summary>
internal static class ParserCaseData
{
    public static TheoryData<string, string?, int> ParseCases()
    {
        var data = new TheoryData<string, string?, int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Lines("parse_cases.jsonl"))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            // parse_test.go repeats a few inputs; xunit would skip the duplicates with a warning.
            if (!seen.Add(root.GetProperty("input").GetString()!))
            {
                continue;
            }
            var error = root.TryGetProperty("error", out var message) ? message.GetString() : null;
            var start = root.TryGetProperty("start", out var position) ? position.GetInt32() : -1;
            data.Add(root.GetProperty("input").GetString()!, error, start);
        }
        return data;
    }

    public static TheoryData<string, string> PrinterCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in Lines("printer_cases.jsonl"))
        {
            using var document = JsonDocument.Parse(line);
            data.Add(document.RootElement.GetProperty("input").GetString()!, document.RootElement.GetProperty("output").GetString()!);
        }
        return data;
    }

    /// <summary>lex_test.go's cases: the input and either the expected items (kind, byte offset, text) or a failure.</summary>
    public static TheoryData<string, string?> LexCases()
    {
        var data = new TheoryData<string, string?>();
        foreach (var line in Lines("lex_cases.jsonl"))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            string? items = null;
            if (root.TryGetProperty("items", out var list))
            {
                var rendered = new List<string>();
                foreach (var item in list.EnumerateArray())
                {
                    rendered.Add(item[0].GetString() + "@" + item[1].GetInt32() + ":" + item[2].GetString());
                }
                items = string.Join(" ", rendered);
            }
            data.Add(root.GetProperty("input").GetString()!, items);
        }
        return data;
    }

    private static IEnumerable<string> Lines(string file)
    {
        var path = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Kansoku.PromQL.Tests", "Parser", "testdata", file);
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
