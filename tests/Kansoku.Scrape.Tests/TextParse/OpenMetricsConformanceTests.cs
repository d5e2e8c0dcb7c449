using System.Text.Json;
using Kansoku.Scrape.TextParse;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.TextParse;

/// <summary>Every case of the OpenMetrics parser suite (../shared/conformance/openmetrics), read in place.</summary>
public sealed class OpenMetricsConformanceTests
{
    private static string CasesDirectory => RepositoryPaths.Shared("conformance", "openmetrics", "parsers");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(CasesDirectory).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(directory, "test.json")))
            {
                data.Add(Path.GetFileName(directory));
            }
        }
        return data;
    }

    [Fact]
    public void The_suite_is_all_there()
    {
        Assert.Equal(211, Cases().Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_is_accepted_or_rejected_as_its_test_json_says(string name)
    {
        var directory = Path.Combine(CasesDirectory, name);
        using var test = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "test.json")));
        var shouldParse = test.RootElement.GetProperty("shouldParse").GetBoolean();
        var body = File.ReadAllBytes(Path.Combine(directory, test.RootElement.GetProperty("file").GetString()!));

        var parser = ExpositionFormats.CreateParser("application/openmetrics-text; version=1.0.0; charset=utf-8", body);
        if (shouldParse)
        {
            ParserDriver.ReadAll(parser);
        }
        else
        {
            var error = Assert.Throws<ExpositionFormatException>(() => ParserDriver.ReadAll(parser));
            Assert.InRange(error.Line, 1, body.AsSpan().Count((byte)'\n') + 1);
        }
    }
}
