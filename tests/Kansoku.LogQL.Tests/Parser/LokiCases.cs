using System.Text.Json;

namespace Kansoku.LogQL.Tests.Parser;

/// <summary>
/// The queries of Loki's own parser tests (pkg/logql/syntax/parser_test.go and ast_test.go), with whether Loki's
/// ParseExpr accepts them; extracted into testdata/loki-parser-cases.json.
/// </summary>
internal static class LokiCases
{
    private sealed record Case(string Query, bool Valid);

    private static readonly JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true };

    private static readonly Case[] s_cases = JsonSerializer.Deserialize<Case[]>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "loki-parser-cases.json")), s_json)!;

    public static TheoryData<string> Valid() => Select(valid: true);

    public static TheoryData<string> Invalid() => Select(valid: false);

    public static IEnumerable<string> AllValid() => s_cases.Where(c => c.Valid).Select(c => c.Query);

    private static TheoryData<string> Select(bool valid)
    {
        var data = new TheoryData<string>();
        foreach (var c in s_cases.Where(c => c.Valid == valid))
        {
            data.Add(c.Query);
        }
        return data;
    }
}
