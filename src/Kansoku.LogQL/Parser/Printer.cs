using System.Globalization;
using System.Text;
using Kansoku.Core.Labels;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Parser;

/// <summary>
/// Prints a syntax tree as canonical LogQL: one spelling per construct, single spaces, parentheses only where the
/// grouping needs them. <see cref="LogQLParser.Parse"/> of the output gives back an equal tree.
/// </summary>
internal static class Printer
{
    public static string Print(Node node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    private static void Write(StringBuilder text, Node node)
    {
        switch (node)
        {
            case LogSelectorExpr selector:
                WriteSelector(text, selector);
                break;
            case PipelineStage stage:
                WriteStage(text, stage);
                break;
            case LabelFilter filter:
                WriteLabelFilter(text, filter);
                break;
            case LogRangeExpr range:
                WriteRange(text, range);
                break;
            case UnwrapExpr unwrap:
                WriteUnwrap(text, unwrap);
                break;
            case SampleExpr sample:
                WriteSample(text, sample);
                break;
            default:
                throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node));
        }
    }

    private static void WriteSample(StringBuilder text, SampleExpr expr)
    {
        switch (expr)
        {
            case LiteralExpr literal:
                text.Append(FormatNumber(literal.Value));
                break;
            case VectorExpr vector:
                text.Append("vector(").Append(FormatNumber(vector.Value)).Append(')');
                break;
            case RangeAggregationExpr range:
                text.Append(Keywords.Name(range.Operation)).Append('(');
                if (range.Parameter is { } parameter)
                {
                    text.Append(FormatNumber(parameter)).Append(", ");
                }
                WriteRange(text, range.Range);
                text.Append(')');
                if (range.Grouping is not null)
                {
                    text.Append(' ');
                    WriteGrouping(text, range.Grouping);
                }
                break;
            case VectorAggregationExpr vector:
                text.Append(Keywords.Name(vector.Operation));
                if (vector.Grouping is not null)
                {
                    text.Append(' ');
                    WriteGrouping(text, vector.Grouping);
                    text.Append(' ');
                }
                text.Append('(');
                if (vector.Parameter is { } k)
                {
                    text.Append(k.ToString(CultureInfo.InvariantCulture)).Append(", ");
                }
                WriteSample(text, vector.Inner);
                text.Append(')');
                break;
            case LabelReplaceExpr replace:
                text.Append("label_replace(");
                WriteSample(text, replace.Inner);
                foreach (var argument in (ReadOnlySpan<string>)[replace.Destination, replace.Replacement, replace.Source, replace.Regex])
                {
                    text.Append(", ").Append(StringLiterals.Quote(argument));
                }
                text.Append(')');
                break;
            case BinaryOpExpr binary:
                WriteBinary(text, binary);
                break;
            default:
                throw new ArgumentException($"unknown expression {expr.GetType().Name}", nameof(expr));
        }
    }

    private static void WriteBinary(StringBuilder text, BinaryOpExpr binary)
    {
        var precedence = Keywords.Precedence(binary.Operator);
        var rightAssociative = binary.Operator == BinaryOperator.Power;
        WriteOperand(text, binary.Left, precedence, parenthesizeEqual: rightAssociative);
        text.Append(' ').Append(Keywords.Text(binary.Operator));
        if (binary.ReturnBool)
        {
            text.Append(" bool");
        }
        if (binary.Matching is { } matching)
        {
            text.Append(matching.On ? " on " : " ignoring ");
            WriteLabelList(text, matching.Labels);
            if (matching.Cardinality != VectorMatchCardinality.OneToOne)
            {
                text.Append(matching.Cardinality == VectorMatchCardinality.ManyToOne ? " group_left" : " group_right");
                if (matching.Include.Count > 0)
                {
                    text.Append(' ');
                    WriteLabelList(text, matching.Include);
                }
            }
        }
        text.Append(' ');
        WriteOperand(text, binary.Right, precedence, parenthesizeEqual: !rightAssociative);
    }

    private static void WriteOperand(StringBuilder text, SampleExpr operand, int parentPrecedence, bool parenthesizeEqual)
    {
        var precedence = operand is BinaryOpExpr child ? Keywords.Precedence(child.Operator) : int.MaxValue;
        var parenthesize = precedence < parentPrecedence || (precedence == parentPrecedence && parenthesizeEqual);
        if (parenthesize)
        {
            text.Append('(');
        }
        WriteSample(text, operand);
        if (parenthesize)
        {
            text.Append(')');
        }
    }

    private static void WriteGrouping(StringBuilder text, Grouping grouping)
    {
        text.Append(grouping.Without ? "without " : "by ");
        WriteLabelList(text, grouping.Labels);
    }

    private static void WriteLabelList(StringBuilder text, IReadOnlyList<string> labels) =>
        text.Append('(').AppendJoin(", ", labels).Append(')');

    private static void WriteRange(StringBuilder text, LogRangeExpr range)
    {
        WriteSelector(text, range.Selector);
        if (range.Unwrap is not null)
        {
            text.Append(' ');
            WriteUnwrap(text, range.Unwrap);
        }
        if (range.Selector.Stages.Count > 0 || range.Unwrap is not null)
        {
            text.Append(' ');
        }
        text.Append('[').Append(Durations.Format(range.Range)).Append(']');
        if (range.Offset != TimeSpan.Zero)
        {
            text.Append(" offset ").Append(Durations.Format(range.Offset));
        }
    }

    private static void WriteUnwrap(StringBuilder text, UnwrapExpr unwrap)
    {
        text.Append("| unwrap ");
        if (unwrap.Conversion == UnwrapConversion.None)
        {
            text.Append(unwrap.Label);
        }
        else
        {
            text.Append(Keywords.Text(unwrap.Conversion)).Append('(').Append(unwrap.Label).Append(')');
        }
        foreach (var filter in unwrap.PostFilters)
        {
            text.Append(" | ");
            WriteStageFilter(text, filter);
        }
    }

    private static void WriteSelector(StringBuilder text, LogSelectorExpr selector)
    {
        text.Append('{');
        for (var i = 0; i < selector.Matchers.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            WriteMatcher(text, selector.Matchers[i]);
        }
        text.Append('}');
        foreach (var stage in selector.Stages)
        {
            text.Append(' ');
            WriteStage(text, stage);
        }
    }

    private static void WriteMatcher(StringBuilder text, LabelMatcher matcher)
    {
        var op = matcher.Type switch
        {
            LabelMatchType.Equal => "=",
            LabelMatchType.NotEqual => "!=",
            LabelMatchType.RegexMatch => "=~",
            _ => "!~",
        };
        text.Append(matcher.Name).Append(op).Append(StringLiterals.Quote(matcher.Value));
    }

    private static void WriteStage(StringBuilder text, PipelineStage stage)
    {
        switch (stage)
        {
            case LineFilterStage filter:
                text.Append(Keywords.Text(filter.Type)).Append(' ');
                for (var i = 0; i < filter.Values.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(" or ");
                    }
                    var value = filter.Values[i];
                    text.Append(value.IsIp ? "ip(" + StringLiterals.Quote(value.Value) + ")" : StringLiterals.Quote(value.Value));
                }
                break;
            case JsonParserStage json:
                text.Append("| json");
                WriteExtractions(text, json.Extractions);
                break;
            case LogfmtParserStage logfmt:
                text.Append("| logfmt");
                text.Append(logfmt.Strict ? " --strict" : "").Append(logfmt.KeepEmpty ? " --keep-empty" : "");
                WriteExtractions(text, logfmt.Extractions);
                break;
            case RegexpParserStage regexp:
                text.Append("| regexp ").Append(StringLiterals.Quote(regexp.Pattern));
                break;
            case PatternParserStage pattern:
                text.Append("| pattern ").Append(StringLiterals.Quote(pattern.Pattern.Text));
                break;
            case UnpackParserStage:
                text.Append("| unpack");
                break;
            case DecolorizeStage:
                text.Append("| decolorize");
                break;
            case LineFormatStage lineFormat:
                text.Append("| line_format ").Append(StringLiterals.Quote(lineFormat.Template));
                break;
            case LabelFormatStage labelFormat:
                text.Append("| label_format ");
                for (var i = 0; i < labelFormat.Items.Count; i++)
                {
                    var item = labelFormat.Items[i];
                    text.Append(i > 0 ? ", " : "").Append(item.Name).Append('=')
                        .Append(item.IsRename ? item.Value : StringLiterals.Quote(item.Value));
                }
                break;
            case DropLabelsStage drop:
                text.Append("| drop ");
                WriteNamedMatchers(text, drop.Labels);
                break;
            case KeepLabelsStage keep:
                text.Append("| keep ");
                WriteNamedMatchers(text, keep.Labels);
                break;
            case LabelFilterStage labelFilter:
                text.Append("| ");
                WriteStageFilter(text, labelFilter.Filter);
                break;
            default:
                throw new ArgumentException($"unknown stage {stage.GetType().Name}", nameof(stage));
        }
    }

    private static void WriteExtractions(StringBuilder text, IReadOnlyList<LabelExtraction> extractions)
    {
        for (var i = 0; i < extractions.Count; i++)
        {
            text.Append(i > 0 ? ", " : " ").Append(extractions[i].Name).Append('=').Append(StringLiterals.Quote(extractions[i].Expression));
        }
    }

    private static void WriteNamedMatchers(StringBuilder text, IReadOnlyList<NamedLabelMatcher> labels)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            if (labels[i].Matcher is { } matcher)
            {
                WriteMatcher(text, matcher);
            }
            else
            {
                text.Append(labels[i].Name);
            }
        }
    }

    /// <summary>A label filter right after <c>|</c>: parenthesized when its first label is named like a stage (json, drop...).</summary>
    private static void WriteStageFilter(StringBuilder text, LabelFilter filter)
    {
        var first = filter;
        while (first is BinaryLabelFilter binary)
        {
            first = binary.Left;
        }
        var parenthesize = Keywords.IsStageWord(FilterName(first));
        text.Append(parenthesize ? "(" : "");
        WriteLabelFilter(text, filter);
        text.Append(parenthesize ? ")" : "");
    }

    private static string FilterName(LabelFilter filter) => filter switch
    {
        StringLabelFilter s => s.Matcher.Name,
        NumericLabelFilter n => n.Name,
        DurationLabelFilter d => d.Name,
        BytesLabelFilter b => b.Name,
        IpLabelFilter ip => ip.Name,
        _ => "",
    };

    private static void WriteLabelFilter(StringBuilder text, LabelFilter filter)
    {
        switch (filter)
        {
            case StringLabelFilter s:
                WriteMatcher(text, s.Matcher);
                break;
            case NumericLabelFilter n:
                text.Append(n.Name).Append(Keywords.Text(n.Comparison)).Append(FormatNumber(n.Value));
                break;
            case DurationLabelFilter d:
                text.Append(d.Name).Append(Keywords.Text(d.Comparison)).Append(Durations.Format(d.Value));
                break;
            case BytesLabelFilter b:
                text.Append(b.Name).Append(Keywords.Text(b.Comparison)).Append(ByteSizes.Format(b.Value));
                break;
            case IpLabelFilter ip:
                text.Append(ip.Name).Append(ip.Comparison == LabelComparison.Equal ? "=" : "!=")
                    .Append("ip(").Append(StringLiterals.Quote(ip.Pattern)).Append(')');
                break;
            case BinaryLabelFilter { Operator: LabelFilterOperator.And, Right: BinaryLabelFilter } comma:
                // "p, rest": Loki's comma takes the one filter before it and everything after it, which is exactly this
                // shape; printing it so keeps long condition lists flat instead of nesting parentheses.
                WriteFilterOperand(text, comma.Left, parenthesize: comma.Left is BinaryLabelFilter);
                text.Append(", ");
                WriteLabelFilter(text, comma.Right);
                break;
            case BinaryLabelFilter binary:
                // "and" binds tighter than "or" and both chain to the left; a comma form on the left would swallow
                // what follows it.
                var isAnd = binary.Operator == LabelFilterOperator.And;
                WriteFilterOperand(text, binary.Left, parenthesize: IsCommaForm(binary.Left) || (isAnd && IsOr(binary.Left)));
                text.Append(isAnd ? " and " : " or ");
                WriteFilterOperand(text, binary.Right, parenthesize: IsOr(binary.Right));
                break;
            default:
                throw new ArgumentException($"unknown label filter {filter.GetType().Name}", nameof(filter));
        }

        static bool IsOr(LabelFilter f) => f is BinaryLabelFilter { Operator: LabelFilterOperator.Or };

        static bool IsCommaForm(LabelFilter f) => f is BinaryLabelFilter { Operator: LabelFilterOperator.And, Right: BinaryLabelFilter };
    }

    private static void WriteFilterOperand(StringBuilder text, LabelFilter operand, bool parenthesize)
    {
        text.Append(parenthesize ? "(" : "");
        WriteLabelFilter(text, operand);
        text.Append(parenthesize ? ")" : "");
    }

    /// <summary>Shortest round-trip form; the lexer reads exponents (<c>1E+21</c>) back.</summary>
    private static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
