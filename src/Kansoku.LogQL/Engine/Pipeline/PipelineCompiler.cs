using System.Text.RegularExpressions;
using Kansoku.LogQL.Engine.Templates;
using Kansoku.LogQL.Parser;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// Turns parsed pipeline stages into executable ones. Problems Loki only finds when it builds the pipeline (invalid
/// <c>ip()</c> patterns, templates, JSON paths) are reported as parse errors at the stage's position.
/// </summary>
internal sealed class PipelineCompiler(string query, TimeProvider clock)
{
    public LogPipeline Compile(IReadOnlyList<PipelineStage> stages)
    {
        if (stages.Count == 0)
        {
            return LogPipeline.Empty;
        }
        var compiled = new Stage[stages.Count];
        for (var i = 0; i < stages.Count; i++)
        {
            compiled[i] = CompileStage(stages[i]);
        }
        return new LogPipeline(compiled);
    }

    public LabelPredicate CompilePredicate(LabelFilter filter) => filter switch
    {
        BinaryLabelFilter binary => new BinaryLabelPredicate(
            CompilePredicate(binary.Left), CompilePredicate(binary.Right), binary.Operator == LabelFilterOperator.And),
        StringLabelFilter text => new StringLabelPredicate(text.Matcher),
        NumericLabelFilter number => new NumericLabelPredicate(number.Name, number.Comparison, number.Value),
        DurationLabelFilter duration => new DurationLabelPredicate(duration.Name, duration.Comparison, duration.Value),
        BytesLabelFilter bytes => new BytesLabelPredicate(bytes.Name, bytes.Comparison, bytes.Value),
        IpLabelFilter ip => new IpLabelPredicate(ip.Name, ip.Comparison == LabelComparison.Equal, IpPatternAt(ip.Pattern, ip)),
        _ => throw Error(filter, $"unsupported label filter {filter}"),
    };

    private Stage CompileStage(PipelineStage stage) => stage switch
    {
        LineFilterStage filter => CompileLineFilter(filter),
        LabelFilterStage labels => new LabelFilterer(CompilePredicate(labels.Filter)),
        JsonParserStage { Extractions.Count: 0 } => new JsonParser(),
        JsonParserStage json => CompileJsonExpressions(json),
        LogfmtParserStage { Extractions.Count: 0 } logfmt => new LogfmtParser(logfmt.Strict, logfmt.KeepEmpty),
        LogfmtParserStage logfmt => new LogfmtExpressionParser(
            [.. logfmt.Extractions.Select(e => (e.Name, e.Expression))], logfmt.Strict),
        RegexpParserStage regexp => CompileRegexp(regexp),
        PatternParserStage pattern => new PatternParser(new CompiledPattern(pattern.Pattern)),
        UnpackParserStage => new UnpackParser(),
        LineFormatStage format => new LineFormatter(ParseTemplate(format, "line", format.Template, "invalid line template"), clock),
        LabelFormatStage format => CompileLabelFormat(format),
        DropLabelsStage drop => new DropLabels(drop.Labels),
        KeepLabelsStage keep => new KeepLabels(keep.Labels),
        DecolorizeStage => new Decolorizer(),
        _ => throw Error(stage, $"unsupported stage {stage}"),
    };

    private LineFilterer CompileLineFilter(LineFilterStage filter)
    {
        var matchers = new LineMatcher[filter.Values.Count];
        for (var i = 0; i < matchers.Length; i++)
        {
            var value = filter.Values[i];
            matchers[i] = filter.Type switch
            {
                LineFilterType.Contains or LineFilterType.NotContains when value.IsIp => new IpLineMatcher(IpPatternAt(value.Value, filter)),
                LineFilterType.Contains or LineFilterType.NotContains => new ContainsLineMatcher(value.Value),
                LineFilterType.Regex or LineFilterType.NotRegex => new RegexLineMatcher(CompileRegex(value.Value, filter)),
                _ => new PatternLineMatcher(new CompiledPattern(LinePattern.Parse(value.Value))),
            };
        }
        return new LineFilterer(matchers, filter.IsNegative);
    }

    private LabelsFormatter CompileLabelFormat(LabelFormatStage format)
    {
        var items = new List<(string, string, Template?)>(format.Items.Count);
        foreach (var item in format.Items)
        {
            items.Add((item.Name, item.Value,
                item.IsRename ? null : ParseTemplate(format, "label", item.Value, $"invalid template for label '{item.Name}'")));
        }
        return new LabelsFormatter(items, clock);
    }

    private JsonExpressionParser CompileJsonExpressions(JsonParserStage json)
    {
        var expressions = new List<(string, JsonPath)>(json.Extractions.Count);
        foreach (var extraction in json.Extractions)
        {
            var path = JsonPath.TryParse(extraction.Expression, out var error)
                ?? throw Error(json, $"cannot parse expression [{extraction.Expression}]: {error}");
            expressions.Add((extraction.Name, path));
        }
        return new JsonExpressionParser(expressions);
    }

    private RegexpParser CompileRegexp(RegexpParserStage stage)
    {
        var names = new List<string>();
        var regex = CompileRegex(stage.Pattern, stage, names);
        return new RegexpParser(regex, names);
    }

    private Regex CompileRegex(string pattern, Node node, List<string>? names = null)
    {
        try
        {
            return GoRegex.Compile(pattern, anchored: false, names);
        }
        catch (ArgumentException e)
        {
            throw Error(node, $"error parsing regexp: {e.Message}");
        }
    }

    private IpPattern IpPatternAt(string pattern, Node node) =>
        IpPattern.TryCreate(pattern, out var error) ?? throw Error(node, error!);

    private Template ParseTemplate(Node node, string name, string text, string context)
    {
        try
        {
            return Template.Parse(name, text);
        }
        catch (TemplateException e)
        {
            throw Error(node, $"{context}: {e.Message}");
        }
    }

    private LogQLParseException Error(Node node, string reason) => LogQLParseException.At(query, node.Span.Start, reason);
}
