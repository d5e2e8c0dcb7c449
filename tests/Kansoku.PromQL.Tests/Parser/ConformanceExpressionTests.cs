using Kansoku.PromQL.Parser;
using Kansoku.Testing;
using Xunit.Abstractions;

namespace Kansoku.PromQL.Tests.Parser;

/// <summary>
/// Parses the expression of every eval in ../shared/conformance/promql/*.test (read in place) with all experimental
/// syntax on, and prints per-file counts. Evals expected to fail (<c>eval_fail</c> or an <c>expect fail</c> line) may
/// fail to parse; every other eval must parse.
/// </summary>
public sealed class ConformanceExpressionTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_eval_expression_of_the_conformance_files_parses()
    {
        var files = Directory.GetFiles(RepositoryPaths.Shared("conformance", "promql"), "*.test");
        Array.Sort(files, StringComparer.Ordinal);
        Assert.NotEmpty(files);
        var failures = new List<string>();
        var total = 0;
        var parsed = 0;
        foreach (var file in files)
        {
            var (fileTotal, fileParsed, expectedFailures) = ParseFile(file, failures);
            total += fileTotal;
            parsed += fileParsed;
            output.WriteLine($"{Path.GetFileName(file)}: {fileParsed}/{fileTotal} parse ({expectedFailures} expected to fail do not)");
        }
        output.WriteLine($"total: {parsed}/{total}");
        Assert.True(total > 2000, $"only {total} evals found");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static (int Total, int Parsed, int ExpectedFailures) ParseFile(string file, List<string> failures)
    {
        var lines = File.ReadAllLines(file);
        var total = 0;
        var parsed = 0;
        var expectedFailures = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (EvalExpression(lines[i]) is not { } expression)
            {
                continue;
            }
            total++;
            var mayFail = lines[i].StartsWith("eval_fail", StringComparison.Ordinal) || HasExpectFail(lines, i + 1);
            try
            {
                PromQLParser.Parse(expression, ParserOptions.AllExperimental);
                parsed++;
            }
            catch (PromQLParseException e) when (mayFail)
            {
                _ = e;
                expectedFailures++;
            }
            catch (PromQLParseException e)
            {
                failures.Add($"{Path.GetFileName(file)}:{i + 1}: {expression}: {e.Message}");
            }
        }
        return (total, parsed, expectedFailures);
    }

    private static bool HasExpectFail(string[] lines, int from)
    {
        for (var i = from; i < lines.Length && lines[i].Trim().Length > 0; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("expect fail", StringComparison.Ordinal))
            {
                return true;
            }
            if (line.StartsWith("eval", StringComparison.Ordinal) || line.StartsWith("load", StringComparison.Ordinal))
            {
                break;
            }
        }
        return false;
    }

    /// <summary>The expression of an eval header: after <c>instant at T</c> or <c>range from S to E step D</c>.</summary>
    private static string? EvalExpression(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || !words[0].StartsWith("eval", StringComparison.Ordinal))
        {
            return null;
        }
        var skip = words[1] switch
        {
            "instant" => 4,
            "range" => 8,
            _ => -1,
        };
        if (skip < 0 || words.Length <= skip)
        {
            return null;
        }
        // Rebuild from the original text so spacing inside the expression is kept.
        var position = 0;
        for (var w = 0; w < skip; w++)
        {
            position = line.IndexOf(words[w], position, StringComparison.Ordinal) + words[w].Length;
        }
        return line[position..].Trim();
    }
}
