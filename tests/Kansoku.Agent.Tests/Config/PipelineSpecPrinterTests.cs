using Kansoku.Agent.Config;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Config;

public sealed class PipelineSpecPrinterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Print(PipelineSpec spec)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        PipelineSpecPrinter.Print(spec, writer);
        return writer.ToString();
    }

    [Fact]
    public void Prints_the_seed_pipeline_with_locations_in_order()
    {
        var main = RepositoryPaths.SeedConfig("fluent-bit.conf");
        var parsers = RepositoryPaths.SeedConfig("parsers.conf");
        var spec = FluentBitClassicLoader.Load(main, _ => null);

        var lines = Print(spec).Split('\n');

        Assert.Equal($"service ({main}:1:1)", lines[0]);
        Assert.Equal($"    Flush         1             {main}:2:5", lines[1]);
        Assert.Contains($"  input tail ({main}:7:1)", lines);
        Assert.Contains($"    Path              /var/log/containers/*webapp*.log  {main}:10:5", lines);
        Assert.Contains($"  parser webapp_json: json ({parsers}:1:1)", lines);
        Assert.Contains($"  filter grep, Match webapp.* ({main}:39:1)", lines);
        Assert.Contains($"    Regex  level (error|warn|info)  {main}:42:5", lines);
        Assert.Contains($"  output elasticsearch, Match * ({main}:44:1)", lines);
        Assert.Equal("warnings: none", lines[^2]);
        var headings = lines.Where(l => l.Length > 0 && l[0] != ' ').ToList();
        Assert.Equal(["service (" + main + ":1:1)", "inputs (2)", "parsers used (2)", "filters (2)", "outputs (1)", "warnings: none"], headings);
    }

    [Fact]
    public void Output_is_deterministic_and_marks_nothing_used()
    {
        var spec = FluentBitClassicLoader.Load(RepositoryPaths.SeedConfig("fluent-bit.conf"), _ => null);
        var unusedBefore = spec.Inputs[0].UnusedProperties().Count();

        Assert.Equal(Print(spec), Print(spec));
        Assert.Equal(unusedBefore, spec.Inputs[0].UnusedProperties().Count());
        Assert.Equal(7, unusedBefore);
    }

    [Fact]
    public void Shows_undefined_and_unused_parsers_missing_match_and_warnings()
    {
        var path = _dir.Write("agent.conf", """
            [PARSER]
                Name zeta
                Format json
            [PARSER]
                Name alpha
                Format json
            [MULTILINE_PARSER]
                Name java_ml
                Type regex
                Rule "start_state" "/^\d/" "cont"
            [INPUT]
                Name tail
                Tag  ${UNSET}
                multiline.parser cri, java_ml
            [OUTPUT]
                Name stdout
            [OUTPUT]
                Name null
                Match_Regex ^app$
            """);
        var spec = FluentBitClassicLoader.Load(path, _ => null);

        var lines = Print(spec).Split('\n');

        Assert.Contains("  cri: not defined in the configuration (a built-in parser, or a mistake)", lines);
        Assert.Contains($"  multiline parser java_ml: regex ({path}:7:1)", lines);
        Assert.Contains("  defined but not used: alpha, zeta", lines);
        Assert.Contains($"  output stdout, no Match (all records) ({path}:15:1)", lines);
        Assert.Contains($"  output null, Match_Regex ^app$ ({path}:17:1)", lines);
        Assert.Equal("warnings (1)", lines[^3]);
        Assert.Equal($"  {path}:13:5: warning: Tag: variable ${{UNSET}} is not set; it expands to an empty string", lines[^2]);
    }
}
