using Kansoku.Core.Labels;

namespace Kansoku.PromQL.Parser;

/// <summary>
/// Prometheus' checkAST: the type rules the grammar does not express, checked after a successful parse in the same
/// order (children before the node's own rules where Prometheus does so), throwing at the first violation.
/// </summary>
internal static class TypeChecker
{
    public static void Check(ReadOnlySpan<byte> query, Expr expression) => CheckNode(query, expression);

    private static ValueType CheckNode(ReadOnlySpan<byte> query, Expr node)
    {
        switch (node)
        {
            case AggregateExpr aggregate:
                ExpectType(query, aggregate.Expression, ValueType.Vector, "aggregation expression");
                if (aggregate.Parameter is { } parameter)
                {
                    ExpectType(query, parameter, aggregate.Operator.ParameterType(), "aggregation parameter");
                }
                break;
            case BinaryExpr binary:
                CheckBinary(query, binary);
                break;
            case Call call:
                CheckCall(query, call);
                break;
            case ParenExpr paren:
                CheckNode(query, paren.Expression);
                break;
            case UnaryExpr unary:
                var operandType = CheckNode(query, unary.Expression);
                if (operandType is not (ValueType.Scalar or ValueType.Vector))
                {
                    throw Fail(query, unary.Position,
                        "unary expression only allowed on expressions of type scalar or instant vector, got "
                        + StringLiterals.Quote(operandType.DocumentedName()));
                }
                break;
            case SubqueryExpr subquery:
                var inner = CheckNode(query, subquery.Expression);
                if (inner != ValueType.Vector)
                {
                    throw Fail(query, subquery.Position, $"subquery is only allowed on instant vector, got {inner.Name()} instead");
                }
                break;
            case MatrixSelector matrix:
                CheckNode(query, matrix.Selector);
                break;
            case VectorSelector selector:
                CheckSelector(query, selector);
                break;
        }
        return node.Type;
    }

    private static void ExpectType(ReadOnlySpan<byte> query, Expr node, ValueType want, string context)
    {
        var type = CheckNode(query, node);
        if (type != want)
        {
            throw Fail(query, node.Position, $"expected type {want.DocumentedName()} in {context}, got {type.DocumentedName()}");
        }
    }

    private static void CheckBinary(ReadOnlySpan<byte> query, BinaryExpr binary)
    {
        var left = CheckNode(query, binary.Left);
        var right = CheckNode(query, binary.Right);
        var op = binary.Operator;
        var matching = binary.Matching!;
        if (binary.ReturnBool && !op.IsComparison())
        {
            throw Fail(query, OperatorRange(query, binary), "bool modifier can only be used on comparison operators");
        }
        if (op.IsComparison() && !binary.ReturnBool && left == ValueType.Scalar && right == ValueType.Scalar)
        {
            throw Fail(query, OperatorRange(query, binary), "comparisons between scalars must use BOOL modifier");
        }
        if (matching.On)
        {
            foreach (var label in matching.MatchingLabels)
            {
                if (matching.Include.Contains(label))
                {
                    throw Fail(query, OperatorRange(query, binary),
                        $"label {StringLiterals.Quote(label)} must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (left is not (ValueType.Scalar or ValueType.Vector))
        {
            throw Fail(query, binary.Left.Position, "binary expression must contain only scalar and instant vector types");
        }
        if (right is not (ValueType.Scalar or ValueType.Vector))
        {
            throw Fail(query, binary.Right.Position, "binary expression must contain only scalar and instant vector types");
        }
        var hasFill = matching.FillLeft is not null || matching.FillRight is not null;
        if (left != ValueType.Vector || right != ValueType.Vector)
        {
            if (matching.MatchingLabels.Count > 0)
            {
                throw Fail(query, binary.Position, "vector matching only allowed between instant vectors");
            }
            if (hasFill)
            {
                throw Fail(query, binary.Position, "filling in missing series only allowed between instant vectors");
            }
            // As Prometheus: no matching between a scalar and anything.
            binary.Matching = null;
        }
        else if (op.IsSetOperator())
        {
            if (matching.Cardinality is VectorMatchCardinality.OneToMany or VectorMatchCardinality.ManyToOne)
            {
                throw Fail(query, binary.Position, $"no grouping allowed for {StringLiterals.Quote(op.Text())} operation");
            }
            if (hasFill)
            {
                throw Fail(query, binary.Position, "filling in missing series not allowed for set operators");
            }
        }
        if ((left == ValueType.Scalar || right == ValueType.Scalar) && op.IsSetOperator())
        {
            throw Fail(query, binary.Position, $"set operator {StringLiterals.Quote(op.Text())} not allowed in binary scalar expression");
        }
    }

    /// <summary>The operator's range between the operands, trimmed of spaces, as Prometheus' opRange.</summary>
    private static PositionRange OperatorRange(ReadOnlySpan<byte> query, BinaryExpr binary)
    {
        var start = binary.Left.Position.End;
        while (start < query.Length && IsSpace(query[start]))
        {
            start++;
        }
        var end = binary.Right.Position.Start - 1;
        while (end > start && IsSpace(query[end]))
        {
            end--;
        }
        return new PositionRange(start, end);
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private static void CheckCall(ReadOnlySpan<byte> query, Call call)
    {
        var function = call.Function;
        var declared = function.ArgumentTypes.Count;
        var count = call.Arguments.Count;
        if (function.Variadic == 0)
        {
            if (declared != count)
            {
                throw Fail(query, call.Position, $"expected {declared} argument(s) in call to {StringLiterals.Quote(function.Name)}, got {count}");
            }
        }
        else
        {
            var required = declared - 1;
            if (required > count)
            {
                throw Fail(query, call.Position, $"expected at least {required} argument(s) in call to {StringLiterals.Quote(function.Name)}, got {count}");
            }
            if (function.Variadic > 0 && required + function.Variadic < count)
            {
                throw Fail(query, call.Position,
                    $"expected at most {required + function.Variadic} argument(s) in call to {StringLiterals.Quote(function.Name)}, got {count}");
            }
        }
        if (function.Name == "info" && count > 1)
        {
            var labels = call.Arguments[1];
            if (labels.Type != ValueType.Vector)
            {
                throw Fail(query, call.Position,
                    $"expected type instant vector in call to function \"info\", got {labels.Type.DocumentedName()}");
            }
            if (labels is VectorSelector { Name: not null })
            {
                throw Fail(query, labels.Position, "expected label selectors only, got vector selector instead");
            }
            if (labels is not VectorSelector selector)
            {
                throw Fail(query, labels.Position, "expected label selectors only");
            }
            selector.BypassEmptyMatcherCheck = true;
        }
        for (var i = 0; i < count; i++)
        {
            var index = i;
            if (i >= declared)
            {
                if (function.Variadic == 0)
                {
                    break;
                }
                index = declared - 1;
            }
            var argument = call.Arguments[i];
            var type = CheckNode(query, argument);
            if (type != function.ArgumentTypes[index])
            {
                throw Fail(query, argument.Position,
                    $"expected type {function.ArgumentTypes[index].DocumentedName()} in call to function {StringLiterals.Quote(function.Name)}, got {type.DocumentedName()}");
            }
        }
    }

    private static void CheckSelector(ReadOnlySpan<byte> query, VectorSelector selector)
    {
        if (selector.Name is not null)
        {
            for (var i = 0; i < selector.Matchers.Count - 1; i++)
            {
                var matcher = selector.Matchers[i];
                if (matcher.Name == LabelNames.MetricName)
                {
                    throw Fail(query, selector.Position,
                        $"metric name must not be set twice: {StringLiterals.Quote(selector.Name)} or {StringLiterals.Quote(matcher.Value)}");
                }
            }
            return;
        }
        if (selector.BypassEmptyMatcherCheck)
        {
            return;
        }
        foreach (var matcher in selector.Matchers)
        {
            if (!matcher.MatchesEmpty)
            {
                return;
            }
        }
        throw Fail(query, selector.Position, "vector selector must contain at least one non-empty matcher");
    }

    private static PromQLParseException Fail(ReadOnlySpan<byte> query, PositionRange position, string message) =>
        PromQLParseException.At(query, position, message);
}
