using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Core.Labels;
using Kansoku.PromQL.Parser;
using ValueType = Kansoku.PromQL.Parser.ValueType;

namespace Kansoku.PromQL.Tests.Parser;

public sealed class ParserPropertyTests
{
    private static readonly PositionRange s_nowhere = new(0, 0);

    private static readonly string[] s_fragments =
    [
        "sum", "avg", "topk", "count_values", "(", ")", "{", "}", "[", "]", "5m", "1h30m", "0", "1", "-2.5e3", "0x1F", "Inf",
        "NaN", ".5", "\"a\"", "'b\\n'", "`c`", "\"\\x", "foo", "bar:baz", "__name__", "=", "!=", "=~", "!~", "==", ",", "by",
        "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "@", "start()", "end()", "step()",
        "range()", "min_of", "fill", "fill_left", "+", "-", "*", "/", "%", "^", "<", ">=", "and", "or", "unless", "atan2",
        ":", "rate", "label_replace", "info", "anchored", "smoothed", "#", " ", "\n", "\t", "é", "\"", "'", "`", "\\", "ms",
        "y", "_", "!", "~", "$",
    ];

    [Property(MaxTest = 300)]
    public Property Printed_generated_trees_parse_back_to_the_same_tree() =>
        Prop.ForAll(VectorGen(3).ToArbitrary(), expression =>
        {
            var printed = Printer.Print(expression);
            var reparsed = PromQLParser.Parse(printed, ParserOptions.AllExperimental);
            return (Dump(expression) == Dump(reparsed)).Label(printed + "\n" + Dump(expression) + "\n" + Dump(reparsed));
        });

    [Property(MaxTest = 2000)]
    public Property Random_input_fails_only_with_a_parse_exception() =>
        Prop.ForAll(Gen.Elements(s_fragments).ArrayOf().Select(parts => string.Concat(parts)).ToArbitrary(), input =>
        {
            foreach (var options in new[] { ParserOptions.Default, ParserOptions.AllExperimental })
            {
                try
                {
                    var expression = PromQLParser.Parse(input, options);
                    // Whatever parses must print to something that parses to the same text again.
                    var printed = expression.ToString();
                    if (PromQLParser.Parse(printed, options).ToString() != printed)
                    {
                        return false.Label("unstable print of " + input);
                    }
                }
                catch (PromQLParseException e)
                {
                    if (e.Position.Start < 0 || e.Position.Start > Encoding.UTF8.GetByteCount(input))
                    {
                        return false.Label("position outside the input: " + e.Message);
                    }
                }
            }
            return true.ToProperty();
        });

    [Property(MaxTest = 500)]
    public Property Arbitrary_strings_fail_only_with_a_parse_exception(string input)
    {
        try
        {
            PromQLParser.Parse(input ?? "", ParserOptions.AllExperimental);
        }
        catch (PromQLParseException)
        {
        }
        return true.ToProperty();
    }

    private static Gen<Expr> VectorGen(int depth)
    {
        var selector = SelectorGen().Select(s => (Expr)s);
        if (depth == 0)
        {
            return selector;
        }
        var inner = VectorGen(depth - 1);
        return Gen.OneOf(
            selector,
            from s in SelectorGen()
            from minutes in Gen.Choose(1, 90)
            from function in Gen.Elements("rate", "increase", "max_over_time", "changes")
            select (Expr)Call(function, new MatrixSelector(s, TimeSpan.FromMinutes(minutes), null, s_nowhere)),
            from e in inner
            from function in Gen.Elements("abs", "ceil", "sort", "timestamp")
            select (Expr)Call(function, e),
            from e in inner
            from op in Gen.Elements(Aggregation.Sum, Aggregation.Avg, Aggregation.Max, Aggregation.Group)
            from labels in Gen.SubListOf(["job", "instance", "pod"])
            from without in Gen.Elements(false, true)
            select (Expr)new AggregateExpr(op, e, null, [.. labels], without, s_nowhere),
            from e in inner
            from k in Gen.Choose(1, 5)
            select (Expr)new AggregateExpr(Aggregation.Topk, e, new NumberLiteral(k, s_nowhere), [], false, s_nowhere),
            from left in inner
            from right in Gen.OneOf(inner, ScalarGen(depth - 1))
            from op in Gen.Elements(BinaryOperator.Add, BinaryOperator.Sub, BinaryOperator.Mul, BinaryOperator.Div,
                BinaryOperator.Pow, BinaryOperator.Gtr, BinaryOperator.And, BinaryOperator.Or, BinaryOperator.Unless)
            from useOn in Gen.Elements(false, true)
            from labels in Gen.SubListOf(["job", "instance"])
            select (Expr)Binary(op, left, right, useOn, [.. labels]),
            from e in inner
            from range in Gen.Choose(2, 30)
            from step in Gen.Choose(0, 1)
            select (Expr)Call("max_over_time", new SubqueryExpr(Paren(e), s_nowhere)
            {
                Range = TimeSpan.FromMinutes(range),
                Step = TimeSpan.FromMinutes(step),
            }),
            from e in inner
            select (Expr)new UnaryExpr(UnaryOperator.Minus, Paren(e), s_nowhere));
    }

    private static Gen<Expr> ScalarGen(int depth) =>
        depth == 0
            ? Gen.Choose(0, 1000).Select(n => (Expr)new NumberLiteral(n / 4.0, s_nowhere))
            : Gen.OneOf(
                Gen.Choose(0, 1000).Select(n => (Expr)new NumberLiteral(n / 4.0, s_nowhere)),
                Gen.Constant((Expr)new Call(Functions.ByName["time"], [], s_nowhere)),
                VectorGen(depth - 1).Select(v => (Expr)Call("scalar", v)));

    private static Gen<VectorSelector> SelectorGen() =>
        from name in Gen.Elements("up", "http_requests_total", "node:cpu:rate5m", "sum", "offset")
        from value in Gen.Elements("a", "b\"c", "x.*", "é\n")
        from regex in Gen.Elements(false, true)
        from offsetMinutes in Gen.Choose(-3, 3)
        from at in Gen.Elements(AtModifier.None, AtModifier.Start, AtModifier.End)
        select new VectorSelector(name,
            [new LabelMatcher(regex ? LabelMatchType.RegexMatch : LabelMatchType.NotEqual, "job", value),
                LabelMatcher.Equal(LabelNames.MetricName, name)], s_nowhere)
        {
            OriginalOffset = TimeSpan.FromMinutes(offsetMinutes),
            At = at,
        };

    private static Call Call(string function, Expr argument) => new(Functions.ByName[function], [argument], s_nowhere);

    private static Expr Paren(Expr expression) =>
        expression is BinaryExpr or UnaryExpr ? new ParenExpr(expression, s_nowhere) : expression;

    private static BinaryExpr Binary(BinaryOperator op, Expr left, Expr right, bool on, string[] labels)
    {
        var bothVectors = left.Type == ValueType.Vector && right.Type == ValueType.Vector;
        if (op.IsSetOperator() && !bothVectors)
        {
            op = BinaryOperator.Add;
        }
        VectorMatching? matching = bothVectors
            ? new VectorMatching
            {
                Cardinality = op.IsSetOperator() ? VectorMatchCardinality.ManyToMany : VectorMatchCardinality.OneToOne,
                On = on,
                MatchingLabels = labels,
            }
            : null;
        return new BinaryExpr(op, Paren(left), Paren(right), matching, false);
    }

    /// <summary>The tree without positions: node kinds, values, matchers and modifiers.</summary>
    private static string Dump(Expr expression) => expression switch
    {
        NumberLiteral n => "N(" + n.Value.ToString("R", CultureInfo.InvariantCulture) + ")",
        StringLiteral s => "S(" + s.Value + ")",
        VectorSelector v => $"V({v.Name};{string.Join(",", v.Matchers.Select(m => m.Name + m.Type + m.Value))};{v.OriginalOffset};{v.Timestamp};{v.At})",
        MatrixSelector m => $"M({Dump(m.Selector)};{m.Range})",
        SubqueryExpr q => $"Q({Dump(q.Expression)};{q.Range};{q.Step};{q.OriginalOffset})",
        ParenExpr p => "P(" + Dump(p.Expression) + ")",
        UnaryExpr u => $"U({u.Operator};{Dump(u.Expression)})",
        BinaryExpr b => $"B({b.Operator};{Dump(b.Left)};{Dump(b.Right)};{b.ReturnBool};{DumpMatching(b.Matching)})",
        AggregateExpr a => $"A({a.Operator};{string.Join(",", a.Grouping)};{a.Without};{(a.Parameter is null ? "" : Dump(a.Parameter))};{Dump(a.Expression)})",
        Call c => $"C({c.Function.Name};{string.Join(",", c.Arguments.Select(Dump))})",
        _ => expression.GetType().Name,
    };

    private static string DumpMatching(VectorMatching? matching) => matching is null
        ? "-"
        : $"{matching.Cardinality};{matching.On};{string.Join(",", matching.MatchingLabels)};{string.Join(",", matching.Include)}";
}
