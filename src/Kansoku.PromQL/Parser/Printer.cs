using System.Globalization;
using System.Text;
using Kansoku.Core.Labels;

namespace Kansoku.PromQL.Parser;

/// <summary>
/// Prints an expression back to PromQL text as Prometheus' String() does (format_query, rule files, test messages):
/// one space around binary operators, grouping labels in query order, matchers sorted, durations in Prometheus form.
/// </summary>
internal static class Printer
{
    public static string Print(Expr expression)
    {
        var text = new StringBuilder();
        Write(text, expression);
        return text.ToString();
    }

    private static void Write(StringBuilder text, Expr expression)
    {
        switch (expression)
        {
            case AggregateExpr aggregate:
                text.Append(aggregate.Operator.Name());
                if (aggregate.Without || aggregate.Grouping.Count > 0)
                {
                    text.Append(aggregate.Without ? " without (" : " by (");
                    WriteLabels(text, aggregate.Grouping);
                    text.Append(") ");
                }
                text.Append('(');
                if (aggregate.Parameter is { } parameter)
                {
                    Write(text, parameter);
                    text.Append(", ");
                }
                Write(text, aggregate.Expression);
                text.Append(')');
                break;
            case BinaryExpr binary:
                Write(text, binary.Left);
                text.Append(' ').Append(binary.Operator.Text());
                if (binary.ReturnBool)
                {
                    text.Append(" bool");
                }
                WriteMatching(text, binary.Matching);
                text.Append(' ');
                Write(text, binary.Right);
                break;
            case Call call:
                text.Append(call.Function.Name).Append('(');
                for (var i = 0; i < call.Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }
                    Write(text, call.Arguments[i]);
                }
                text.Append(')');
                break;
            case MatrixSelector matrix:
                WriteSelectorBody(text, matrix.Selector);
                text.Append('[');
                WriteDuration(text, matrix.Range, matrix.RangeExpression);
                text.Append(']');
                if (matrix.Selector.Anchored)
                {
                    text.Append(" anchored");
                }
                else if (matrix.Selector.Smoothed)
                {
                    text.Append(" smoothed");
                }
                WriteAt(text, matrix.Selector.Timestamp, matrix.Selector.At);
                WriteOffset(text, matrix.Selector.OriginalOffset, matrix.Selector.OffsetExpression);
                break;
            case SubqueryExpr subquery:
                Write(text, subquery.Expression);
                text.Append('[');
                WriteDuration(text, subquery.Range, subquery.RangeExpression);
                text.Append(':');
                if (subquery.Step != TimeSpan.Zero && subquery.StepExpression is null)
                {
                    text.Append(Durations.Format(subquery.Step));
                }
                else if (subquery.StepExpression is { } step)
                {
                    Write(text, step);
                }
                text.Append(']');
                WriteAt(text, subquery.Timestamp, subquery.At);
                WriteOffset(text, subquery.OriginalOffset, subquery.OffsetExpression);
                break;
            case NumberLiteral number:
                WriteNumber(text, number);
                break;
            case ParenExpr paren:
                text.Append('(');
                Write(text, paren.Expression);
                text.Append(')');
                break;
            case StringLiteral literal:
                text.Append(StringLiterals.Quote(literal.Value));
                break;
            case UnaryExpr unary:
                text.Append(unary.Operator == UnaryOperator.Minus ? '-' : '+');
                Write(text, unary.Expression);
                break;
            case VectorSelector selector:
                WriteSelectorBody(text, selector);
                WriteAt(text, selector.Timestamp, selector.At);
                if (selector.Anchored)
                {
                    text.Append(" anchored");
                }
                else if (selector.Smoothed)
                {
                    text.Append(" smoothed");
                }
                WriteOffset(text, selector.OriginalOffset, selector.OffsetExpression);
                break;
            case DurationExpr duration:
                WriteDurationExpression(text, duration);
                break;
            default:
                throw new InvalidOperationException($"unknown expression node {expression.GetType().Name}");
        }
    }

    private static void WriteNumber(StringBuilder text, NumberLiteral number)
    {
        if (!number.IsDuration)
        {
            text.Append(Numbers.FormatFloat(number.Value));
            return;
        }
        var duration = TimeSpan.FromTicks((long)Math.Round(Math.Abs(number.Value) * TimeSpan.TicksPerSecond));
        if (number.Value < 0)
        {
            text.Append('-');
        }
        text.Append(Durations.Format(duration));
    }

    private static void WriteSelectorBody(StringBuilder text, VectorSelector selector)
    {
        var matchers = new List<string>(selector.Matchers.Count);
        foreach (var matcher in selector.Matchers)
        {
            if (matcher is { Name: LabelNames.MetricName, Type: LabelMatchType.Equal } && matcher.Value == selector.Name
                && matcher.Value.Length > 0)
            {
                continue;
            }
            matchers.Add(FormatMatcher(matcher));
        }
        text.Append(selector.Name);
        if (matchers.Count == 0)
        {
            return;
        }
        matchers.Sort(StringComparer.Ordinal);
        text.Append('{').AppendJoin(',', matchers).Append('}');
    }

    /// <summary>A matcher as Prometheus' Matcher.String(): the name quoted when it is not a legacy label name.</summary>
    private static string FormatMatcher(LabelMatcher matcher)
    {
        var op = matcher.Type switch
        {
            LabelMatchType.Equal => "=",
            LabelMatchType.NotEqual => "!=",
            LabelMatchType.RegexMatch => "=~",
            _ => "!~",
        };
        var name = IsLegacyName(matcher.Name) ? matcher.Name : StringLiterals.Quote(matcher.Name);
        return name + op + StringLiterals.Quote(matcher.Value);
    }

    private static bool IsLegacyName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!(char.IsAsciiLetter(c) || c == '_' || (i > 0 && char.IsAsciiDigit(c))))
            {
                return false;
            }
        }
        return true;
    }

    private static void WriteLabels(StringBuilder text, IReadOnlyList<string> labels)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            text.Append(IsLegacyName(labels[i]) ? labels[i] : StringLiterals.Quote(labels[i]));
        }
    }

    private static void WriteMatching(StringBuilder text, VectorMatching? matching)
    {
        if (matching is null)
        {
            return;
        }
        var grouped = matching.Cardinality is VectorMatchCardinality.ManyToOne or VectorMatchCardinality.OneToMany;
        if (matching.MatchingLabels.Count > 0 || matching.On || grouped)
        {
            text.Append(matching.On ? " on (" : " ignoring (");
            WriteLabels(text, matching.MatchingLabels);
            text.Append(')');
        }
        if (grouped)
        {
            text.Append(matching.Cardinality == VectorMatchCardinality.ManyToOne ? " group_left (" : " group_right (");
            WriteLabels(text, matching.Include);
            text.Append(')');
        }
        if (matching.FillLeft is { } left && matching.FillRight is { } right && left.Equals(right))
        {
            text.Append(" fill (").Append(FormatFill(left)).Append(')');
            return;
        }
        if (matching.FillLeft is { } fillLeft)
        {
            text.Append(" fill_left (").Append(FormatFill(fillLeft)).Append(')');
        }
        if (matching.FillRight is { } fillRight)
        {
            text.Append(" fill_right (").Append(FormatFill(fillRight)).Append(')');
        }
    }

    /// <summary>Go's <c>%v</c> of a float64 (shortest form, exponent from 1e21 on).</summary>
    private static string FormatFill(double value) =>
        Math.Abs(value) >= 1e21 ? value.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal)
            : Numbers.FormatFloat(value);

    private static void WriteDuration(StringBuilder text, TimeSpan value, DurationExpr? expression)
    {
        if (expression is not null)
        {
            WriteDurationExpression(text, expression);
        }
        else
        {
            text.Append(Durations.Format(value));
        }
    }

    private static void WriteDurationExpression(StringBuilder text, DurationExpr duration)
    {
        if (duration.Wrapped)
        {
            text.Append('(');
        }
        switch (duration.Operator)
        {
            case DurationOperator.Step:
                text.Append("step()");
                break;
            case DurationOperator.Range:
                text.Append("range()");
                break;
            case DurationOperator.MinOf or DurationOperator.MaxOf:
                text.Append(duration.Operator == DurationOperator.MinOf ? "min_of(" : "max_of(");
                Write(text, duration.Left!);
                text.Append(", ");
                Write(text, duration.Right!);
                text.Append(')');
                break;
            case DurationOperator.Negate:
                text.Append('-');
                Write(text, duration.Right!);
                break;
            case DurationOperator.Wrap:
                Write(text, duration.Right!);
                break;
            default:
                Write(text, duration.Left!);
                text.Append(' ').Append(DurationOperatorText(duration.Operator)).Append(' ');
                Write(text, duration.Right!);
                break;
        }
        if (duration.Wrapped)
        {
            text.Append(')');
        }
    }

    private static string DurationOperatorText(DurationOperator op) => op switch
    {
        DurationOperator.Add => "+",
        DurationOperator.Sub => "-",
        DurationOperator.Mul => "*",
        DurationOperator.Div => "/",
        DurationOperator.Mod => "%",
        _ => "^",
    };

    private static void WriteAt(StringBuilder text, long? timestamp, AtModifier at)
    {
        if (timestamp is { } milliseconds)
        {
            text.Append(" @ ").Append((milliseconds / 1000.0).ToString("F3", CultureInfo.InvariantCulture));
        }
        else if (at != AtModifier.None)
        {
            text.Append(at == AtModifier.Start ? " @ start()" : " @ end()");
        }
    }

    private static void WriteOffset(StringBuilder text, TimeSpan offset, DurationExpr? expression)
    {
        if (expression is not null)
        {
            text.Append(" offset ");
            WriteDurationExpression(text, expression);
        }
        else if (offset > TimeSpan.Zero)
        {
            text.Append(" offset ").Append(Durations.Format(offset));
        }
        else if (offset < TimeSpan.Zero)
        {
            text.Append(" offset -").Append(Durations.Format(-offset));
        }
    }
}
