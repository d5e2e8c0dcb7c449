using System.Globalization;
using System.Text;
using Kansoku.Core.Labels;

namespace Kansoku.PromQL.Parser;

/// <summary>
/// PromQL's parser: recursive descent for primaries and modifiers, precedence climbing for binary operators, over the
/// UTF-8 bytes of the query so positions are Prometheus' byte offsets. It stops at the first error, which is the one
/// Prometheus reports (its ParseErrors print the first), then type-checks the tree as Prometheus' checkAST does
/// (<see cref="TypeChecker"/>). Precedence follows Prometheus' grammar: postfix modifiers (<c>[..]</c>, offset, @)
/// bind tightest, unary minus binds like <c>*</c> (so <c>-a ^ b</c> is <c>-(a ^ b)</c>), and <c>^</c> is right-associative.
/// </summary>
internal ref struct PromQLParser
{
    private const string OffsetExpected = "number, duration, step(), or range()";

    private readonly ReadOnlySpan<byte> _input;
    private readonly ParserOptions _options;
    private Lexer _lexer;
    private Token _current;
    private int _lastClosing;

    /// <summary>What a malformed <c>step</c>/<c>range</c> reports in the current bracket ("subquery or range selector", ...).</summary>
    private (string Context, string Expected)? _durationContext;

    private PromQLParser(ReadOnlySpan<byte> input, ParserOptions options)
    {
        _input = input;
        _options = options;
        _lexer = new Lexer(input);
        _current = default;
        _lastClosing = 0;
        _durationContext = null;
        Advance();
    }

    /// <summary>Parses and type-checks <paramref name="query"/>; throws <see cref="PromQLParseException"/> when invalid.</summary>
    public static Expr Parse(string query, ParserOptions? options = null)
    {
        var input = Encoding.UTF8.GetBytes(query);
        var parser = new PromQLParser(input, options ?? ParserOptions.Default);
        var expression = parser.ParseQuery();
        TypeChecker.Check(input, expression);
        return expression;
    }

    private Expr ParseQuery()
    {
        if (_current.Kind == TokenKind.EndOfInput)
        {
            throw Error(new PositionRange(0, 0), "no expression found in input");
        }
        var expression = ParseExpression(1);
        if (_current.Kind != TokenKind.EndOfInput)
        {
            throw Unexpected("", "");
        }
        return expression;
    }

    private Expr ParseExpression(int minimumPrecedence)
    {
        var left = ParseUnary();
        while (BinaryOperatorOf(_current.Kind) is { } op && op.Precedence() >= minimumPrecedence)
        {
            Advance();
            var matching = ParseBinaryModifiers(out var returnBool);
            var right = ParseExpression(op.IsRightAssociative() ? op.Precedence() : op.Precedence() + 1);
            if (op.IsSetOperator() && matching.Cardinality == VectorMatchCardinality.OneToOne)
            {
                matching = CopyMatching(matching, VectorMatchCardinality.ManyToMany);
            }
            var binary = new BinaryExpr(op, left, right, matching, returnBool);
            if (!_options.EnableBinaryFillModifiers && (matching.FillLeft is not null || matching.FillRight is not null))
            {
                throw Error(binary.Position, "binop fill modifiers are experimental and not enabled");
            }
            left = binary;
        }
        return left;
    }

    private Expr ParseUnary()
    {
        if (_current.Kind is not (TokenKind.Add or TokenKind.Sub))
        {
            return ParsePostfix(ParsePrimary());
        }
        var sign = _current;
        Advance();
        // Unary operators take the precedence of '*': only '^' binds tighter.
        var operand = ParseExpression(BinaryOperator.Pow.Precedence());
        if (operand is NumberLiteral number)
        {
            var value = sign.Kind == TokenKind.Sub ? -number.Value : number.Value;
            return new NumberLiteral(value, new PositionRange(sign.Start, number.Position.End), number.IsDuration);
        }
        var op = sign.Kind == TokenKind.Sub ? UnaryOperator.Minus : UnaryOperator.Plus;
        return new UnaryExpr(op, operand, new PositionRange(sign.Start, operand.Position.End));
    }

    private Expr ParsePrimary()
    {
        var token = _current;
        switch (token.Kind)
        {
            case TokenKind.LeftParen:
            {
                Advance();
                var inner = ParseExpression(1);
                if (_current.Kind != TokenKind.RightParen)
                {
                    throw Unexpected("", "");
                }
                var close = Advance();
                return new ParenExpr(inner, new PositionRange(token.Start, close.End));
            }
            case TokenKind.LeftBrace:
                return ParseVectorSelector(null, token.Start);
            case TokenKind.Number:
            case TokenKind.Duration:
                return ParseNumberLiteral();
            case TokenKind.String:
                Advance();
                return new StringLiteral(Unquote(token), token.Position);
        }
        if (token.Kind is >= TokenKind.Sum and <= TokenKind.LimitRatio)
        {
            Advance();
            // Not followed by a body or grouping, an aggregation keyword is a metric name (`a + sum`).
            return _current.Kind is TokenKind.LeftParen or TokenKind.By or TokenKind.Without
                ? ParseAggregation((Aggregation)(token.Kind - TokenKind.Sum), token)
                : ParseVectorSelectorAfterName(token);
        }
        if (token.Kind is TokenKind.Identifier or TokenKind.Start or TokenKind.End or TokenKind.Step or TokenKind.Range
            or TokenKind.MinOf or TokenKind.MaxOf)
        {
            Advance();
            if (_current.Kind == TokenKind.LeftParen)
            {
                return ParseCall(token);
            }
            return ParseVectorSelectorAfterName(token);
        }
        if (IsMetricIdentifier(token.Kind))
        {
            Advance();
            return ParseVectorSelectorAfterName(token);
        }
        throw Unexpected("", "");
    }

    private static bool IsMetricIdentifier(TokenKind kind) =>
        kind is TokenKind.Identifier or TokenKind.MetricIdentifier or TokenKind.By or TokenKind.Without or TokenKind.Fill
            or TokenKind.FillLeft or TokenKind.FillRight or TokenKind.And or TokenKind.Or or TokenKind.Unless
            or TokenKind.Offset or TokenKind.Start or TokenKind.End or TokenKind.Step or TokenKind.Range
            or TokenKind.Anchored or TokenKind.Smoothed or TokenKind.MaxOf or TokenKind.MinOf
            || kind is >= TokenKind.Sum and <= TokenKind.LimitRatio;

    private NumberLiteral ParseNumberLiteral()
    {
        var token = Advance();
        var text = Encoding.UTF8.GetString(TextOf(token));
        if (token.Kind == TokenKind.Duration)
        {
            if (!Durations.TryParse(text, out var duration, out var durationError))
            {
                throw Error(token.Position, durationError!);
            }
            return new NumberLiteral(duration.TotalSeconds, token.Position, isDuration: true);
        }
        if (!Numbers.TryParse(text, out var value, out var error))
        {
            throw Error(token.Position, "error parsing number: " + error);
        }
        return new NumberLiteral(value, token.Position);
    }

    private VectorSelector ParseVectorSelectorAfterName(Token nameToken)
    {
        var name = Encoding.UTF8.GetString(TextOf(nameToken));
        if (_current.Kind == TokenKind.LeftBrace)
        {
            return ParseVectorSelector(name, nameToken.Start);
        }
        return new VectorSelector(name, [LabelMatcher.Equal(LabelNames.MetricName, name)], nameToken.Position);
    }

    private VectorSelector ParseVectorSelector(string? name, int start)
    {
        Advance();
        var matchers = new List<LabelMatcher>();
        while (_current.Kind != TokenKind.RightBrace)
        {
            matchers.Add(ParseLabelMatcher());
            if (_current.Kind == TokenKind.Comma)
            {
                Advance();
            }
            else if (_current.Kind != TokenKind.RightBrace)
            {
                throw Unexpected("label matching", "\",\" or \"}\"");
            }
        }
        var close = Advance();
        if (name is not null)
        {
            matchers.Add(LabelMatcher.Equal(LabelNames.MetricName, name));
        }
        return new VectorSelector(name, matchers, new PositionRange(start, close.End));
    }

    private LabelMatcher ParseLabelMatcher()
    {
        var label = _current;
        string name;
        if (label.Kind == TokenKind.Identifier)
        {
            Advance();
            name = Encoding.UTF8.GetString(TextOf(label));
            if (MatchTypeOf(_current.Kind) is null)
            {
                throw Unexpected("label matching", "label matching operator");
            }
        }
        else if (label.Kind == TokenKind.String)
        {
            Advance();
            name = Unquote(label);
            if (MatchTypeOf(_current.Kind) is null)
            {
                return NewMatcher(LabelMatchType.Equal, LabelNames.MetricName, name, label.Position);
            }
        }
        else
        {
            throw Unexpected("label matching", "identifier or \"}\"");
        }
        var type = MatchTypeOf(Advance().Kind)!.Value;
        if (_current.Kind != TokenKind.String)
        {
            throw Unexpected("label matching", "string");
        }
        var valueToken = Advance();
        return NewMatcher(type, name, Unquote(valueToken), new PositionRange(label.Start, valueToken.End));
    }

    private LabelMatcher NewMatcher(LabelMatchType type, string name, string value, PositionRange position)
    {
        try
        {
            return new LabelMatcher(type, name, value);
        }
        catch (ArgumentException e)
        {
            throw Error(position, "error parsing regexp: " + e.Message);
        }
    }

    private static LabelMatchType? MatchTypeOf(TokenKind kind) => kind switch
    {
        TokenKind.Assign => LabelMatchType.Equal,
        TokenKind.NotEqual => LabelMatchType.NotEqual,
        TokenKind.RegexMatch => LabelMatchType.RegexMatch,
        TokenKind.RegexNoMatch => LabelMatchType.RegexNoMatch,
        _ => null,
    };

    private Call ParseCall(Token nameToken)
    {
        var arguments = ParseCallBody(out var close);
        var name = Encoding.UTF8.GetString(TextOf(nameToken));
        if (!Functions.TryGet(name, out var function))
        {
            throw Error(nameToken.Position, "unknown function with name " + StringLiterals.Quote(name));
        }
        if (function.Experimental && !_options.EnableExperimentalFunctions)
        {
            throw Error(nameToken.Position, "function " + StringLiterals.Quote(name) + " is not enabled");
        }
        return new Call(function, arguments, new PositionRange(nameToken.Start, close.End));
    }

    private List<Expr> ParseCallBody(out Token close)
    {
        Advance();
        var arguments = new List<Expr>();
        while (_current.Kind != TokenKind.RightParen)
        {
            arguments.Add(ParseExpression(1));
            if (_current.Kind == TokenKind.Comma)
            {
                var comma = Advance();
                if (_current.Kind == TokenKind.RightParen)
                {
                    throw Error(comma.Position, "trailing commas not allowed in function call args");
                }
            }
            else if (_current.Kind != TokenKind.RightParen)
            {
                throw Unexpected("", "");
            }
        }
        close = Advance();
        return arguments;
    }

    private AggregateExpr ParseAggregation(Aggregation aggregation, Token opToken)
    {
        List<string>? grouping = null;
        var without = false;
        if (_current.Kind is TokenKind.By or TokenKind.Without)
        {
            without = Advance().Kind == TokenKind.Without;
            grouping = ParseGroupingLabels();
        }
        if (_current.Kind != TokenKind.LeftParen)
        {
            throw Unexpected("aggregation", "");
        }
        var arguments = ParseCallBody(out var close);
        var end = close.End;
        if (grouping is null && _current.Kind is TokenKind.By or TokenKind.Without)
        {
            without = Advance().Kind == TokenKind.Without;
            grouping = ParseGroupingLabels();
            end = _lastClosing;
        }
        var position = new PositionRange(opToken.Start, end);
        if (arguments.Count == 0)
        {
            throw Error(position, "no arguments for aggregate expression provided");
        }
        var expected = 1;
        Expr? parameter = null;
        if (aggregation.HasParameter())
        {
            if (aggregation.IsExperimental() && !_options.EnableExperimentalFunctions)
            {
                throw Error(position, aggregation.Name() + "() is experimental and must be enabled with --enable-feature=promql-experimental-functions");
            }
            expected = 2;
            parameter = arguments[0];
        }
        if (arguments.Count != expected)
        {
            throw Error(position, $"wrong number of arguments for aggregate expression provided, expected {expected}, got {arguments.Count}");
        }
        return new AggregateExpr(aggregation, arguments[expected - 1], parameter, grouping ?? [], without, position);
    }

    private List<string> ParseGroupingLabels()
    {
        if (_current.Kind != TokenKind.LeftParen)
        {
            throw Unexpected("grouping opts", "\"(\"");
        }
        Advance();
        var labels = new List<string>();
        while (_current.Kind != TokenKind.RightParen)
        {
            var token = _current;
            string label;
            if (token.Kind == TokenKind.String)
            {
                label = Unquote(token);
                if (label.Length == 0)
                {
                    throw Error(new PositionRange(token.Start + 1, token.End), "invalid label name for grouping: \"\"");
                }
            }
            else if (IsLabelName(token.Kind))
            {
                label = Encoding.UTF8.GetString(TextOf(token));
            }
            else
            {
                throw Unexpected("grouping opts", "label");
            }
            Advance();
            labels.Add(label);
            if (_current.Kind == TokenKind.Comma)
            {
                Advance();
            }
            else if (_current.Kind != TokenKind.RightParen)
            {
                throw Unexpected("grouping opts", "\",\" or \")\"");
            }
        }
        Advance();
        return labels;
    }

    private static bool IsLabelName(TokenKind kind) =>
        kind is TokenKind.Identifier or TokenKind.MetricIdentifier || kind.IsKeyword();

    private VectorMatching ParseBinaryModifiers(out bool returnBool)
    {
        returnBool = false;
        if (_current.Kind == TokenKind.Bool)
        {
            Advance();
            returnBool = true;
        }
        var cardinality = VectorMatchCardinality.OneToOne;
        var on = false;
        IReadOnlyList<string> matchingLabels = [];
        IReadOnlyList<string> include = [];
        if (_current.Kind is TokenKind.On or TokenKind.Ignoring)
        {
            on = Advance().Kind == TokenKind.On;
            matchingLabels = ParseGroupingLabels();
            if (_current.Kind is TokenKind.GroupLeft or TokenKind.GroupRight)
            {
                cardinality = Advance().Kind == TokenKind.GroupLeft ? VectorMatchCardinality.ManyToOne : VectorMatchCardinality.OneToMany;
                if (_current.Kind == TokenKind.LeftParen)
                {
                    include = ParseGroupingLabels();
                }
            }
        }
        double? fillLeft = null;
        double? fillRight = null;
        if (_current.Kind == TokenKind.Fill)
        {
            Advance();
            fillLeft = fillRight = ParseFillValue();
        }
        else if (_current.Kind is TokenKind.FillLeft or TokenKind.FillRight)
        {
            var first = Advance().Kind;
            var value = ParseFillValue();
            if (first == TokenKind.FillLeft)
            {
                fillLeft = value;
            }
            else
            {
                fillRight = value;
            }
            var other = first == TokenKind.FillLeft ? TokenKind.FillRight : TokenKind.FillLeft;
            if (_current.Kind == other)
            {
                Advance();
                var second = ParseFillValue();
                if (other == TokenKind.FillLeft)
                {
                    fillLeft = second;
                }
                else
                {
                    fillRight = second;
                }
            }
        }
        return new VectorMatching
        {
            Cardinality = cardinality,
            On = on,
            MatchingLabels = matchingLabels,
            Include = include,
            FillLeft = fillLeft,
            FillRight = fillRight,
        };
    }

    private double ParseFillValue()
    {
        if (_current.Kind != TokenKind.LeftParen)
        {
            throw Unexpected("", "");
        }
        Advance();
        var negative = false;
        if (_current.Kind is TokenKind.Add or TokenKind.Sub)
        {
            negative = Advance().Kind == TokenKind.Sub;
        }
        if (_current.Kind is not (TokenKind.Number or TokenKind.Duration))
        {
            throw Unexpected("", "");
        }
        var value = ParseNumberLiteral().Value;
        if (_current.Kind != TokenKind.RightParen)
        {
            throw Unexpected("", "");
        }
        Advance();
        return negative ? -value : value;
    }

    private static VectorMatching CopyMatching(VectorMatching matching, VectorMatchCardinality cardinality) => new()
    {
        Cardinality = cardinality,
        On = matching.On,
        MatchingLabels = matching.MatchingLabels,
        Include = matching.Include,
        FillLeft = matching.FillLeft,
        FillRight = matching.FillRight,
    };

    private Expr ParsePostfix(Expr expression)
    {
        while (true)
        {
            switch (_current.Kind)
            {
                case TokenKind.LeftBracket:
                    expression = ParseRangeOrSubquery(expression);
                    break;
                case TokenKind.Offset:
                    Advance();
                    SetOffset(expression, ParseOffsetDuration());
                    break;
                case TokenKind.At:
                    Advance();
                    ParseAt(expression);
                    break;
                case TokenKind.Anchored:
                case TokenKind.Smoothed:
                    SetExtendedRange(expression, Advance().Kind == TokenKind.Anchored);
                    break;
                default:
                    return expression;
            }
        }
    }

    private Expr ParseRangeOrSubquery(Expr expression)
    {
        var open = Advance();
        if (!StartsDuration(_current.Kind))
        {
            throw Unexpected("subquery or range selector", OffsetExpected);
        }
        _durationContext = ("subquery or range selector", OffsetExpected);
        var range = ParsePositiveDuration();
        _durationContext = null;
        if (_current.Kind == TokenKind.RightBracket)
        {
            var close = Advance();
            string? error = null;
            if (expression is not VectorSelector selector)
            {
                error = "ranges only allowed for vector selectors";
                selector = null!;
            }
            else if (selector.OriginalOffset != TimeSpan.Zero || selector.OffsetExpression is not null)
            {
                error = "no offset modifiers allowed before range";
            }
            else if (selector.Timestamp is not null || selector.At != AtModifier.None)
            {
                error = "no @ modifiers allowed before range";
            }
            if (error is not null)
            {
                throw Error(new PositionRange(open.Start, close.End), error);
            }
            return new MatrixSelector(selector, DurationValue(range), range as DurationExpr,
                new PositionRange(expression.Position.Start, close.End));
        }
        if (_current.Kind != TokenKind.Colon)
        {
            throw Unexpected("subquery or range", "\":\" or \"]\"");
        }
        Advance();
        Expr? step = null;
        if (_current.Kind != TokenKind.RightBracket)
        {
            if (!StartsDuration(_current.Kind))
            {
                throw Unexpected("subquery selector", "number, duration, step(), range(), or \"]\"");
            }
            _durationContext = ("subquery selector", "number, duration, step(), range(), or \"]\"");
            step = ParsePositiveDuration();
            _durationContext = null;
            if (_current.Kind != TokenKind.RightBracket)
            {
                throw Unexpected("subquery selector", "\"]\"");
            }
        }
        var end = Advance();
        return new SubqueryExpr(expression, new PositionRange(expression.Position.Start, end.End))
        {
            Range = DurationValue(range),
            RangeExpression = range as DurationExpr,
            Step = step is null ? TimeSpan.Zero : DurationValue(step),
            StepExpression = step as DurationExpr,
        };
    }

    private static bool StartsDuration(TokenKind kind) =>
        kind is TokenKind.Number or TokenKind.Duration or TokenKind.Add or TokenKind.Sub or TokenKind.LeftParen
            or TokenKind.Step or TokenKind.Range or TokenKind.MinOf or TokenKind.MaxOf;

    private Expr ParsePositiveDuration()
    {
        var duration = ParseDurationExpression(1);
        if (duration is NumberLiteral { Value: <= 0 } number)
        {
            throw Error(number.Position, "duration must be greater than 0");
        }
        return duration;
    }

    /// <summary>The value of a range, step or offset: literal seconds, or a constant expression folded; zero when it needs the query.</summary>
    private static TimeSpan DurationValue(Expr duration) => duration switch
    {
        NumberLiteral number => SecondsToTimeSpan(number.Value),
        DurationExpr expression when !DependsOnQuery(expression) => SecondsToTimeSpan(expression.Evaluate(TimeSpan.Zero, TimeSpan.Zero)),
        _ => TimeSpan.Zero,
    };

    private static TimeSpan SecondsToTimeSpan(double seconds) =>
        double.IsFinite(seconds) ? TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)) : TimeSpan.Zero;

    private static bool DependsOnQuery(Expr? expression) => expression switch
    {
        DurationExpr { Operator: DurationOperator.Step or DurationOperator.Range } => true,
        DurationExpr duration => DependsOnQuery(duration.Left) || DependsOnQuery(duration.Right),
        _ => false,
    };

    private Expr ParseDurationExpression(int minimumPrecedence)
    {
        var left = ParseDurationUnary();
        while (DurationOperatorOf(_current.Kind) is { } op && BinaryPrecedence(op) >= minimumPrecedence)
        {
            var opToken = Advance();
            var precedence = BinaryPrecedence(op);
            var right = ParseDurationExpression(op == DurationOperator.Pow ? precedence : precedence + 1);
            RequireDurationExpressions(left.Position);
            if (right is NumberLiteral { Value: 0 } && op is DurationOperator.Div or DurationOperator.Mod)
            {
                throw Error(opToken.Position, op == DurationOperator.Div ? "division by zero" : "modulo by zero");
            }
            left = new DurationExpr(op, left, right, PositionRange.Merge(left.Position, right.Position));
        }
        return left;
    }

    private static int BinaryPrecedence(DurationOperator op) => op switch
    {
        DurationOperator.Add or DurationOperator.Sub => 4,
        DurationOperator.Pow => 6,
        _ => 5,
    };

    private static DurationOperator? DurationOperatorOf(TokenKind kind) => kind switch
    {
        TokenKind.Add => DurationOperator.Add,
        TokenKind.Sub => DurationOperator.Sub,
        TokenKind.Mul => DurationOperator.Mul,
        TokenKind.Div => DurationOperator.Div,
        TokenKind.Mod => DurationOperator.Mod,
        TokenKind.Pow => DurationOperator.Pow,
        _ => null,
    };

    private Expr ParseDurationUnary()
    {
        if (_current.Kind is TokenKind.Add or TokenKind.Sub)
        {
            var sign = Advance();
            var operand = ParseDurationExpression(6);
            return ApplySign(sign, operand);
        }
        return ParseDurationAtom();
    }

    private Expr ApplySign(Token sign, Expr operand)
    {
        if (operand is NumberLiteral number)
        {
            var value = sign.Kind == TokenKind.Sub ? -number.Value : number.Value;
            if (DurationOutOfRange(value))
            {
                throw Error(sign.Position, "duration out of range");
            }
            return new NumberLiteral(value, new PositionRange(sign.Start, number.Position.End), number.IsDuration);
        }
        return sign.Kind == TokenKind.Sub
            ? new DurationExpr(DurationOperator.Negate, null, operand, new PositionRange(sign.Start, operand.Position.End))
            : operand;
    }

    private Expr ParseDurationAtom()
    {
        var token = _current;
        switch (token.Kind)
        {
            case TokenKind.Number:
            case TokenKind.Duration:
            {
                var number = ParseNumberLiteral();
                if (DurationOutOfRange(number.Value))
                {
                    throw Error(number.Position, "duration out of range");
                }
                return number;
            }
            case TokenKind.Step:
            case TokenKind.Range:
            {
                Advance();
                if (_current.Kind != TokenKind.LeftParen && _durationContext is { } context)
                {
                    throw Unexpected(context.Context, context.Expected);
                }
                ExpectKind(TokenKind.LeftParen);
                var close = ExpectKind(TokenKind.RightParen);
                var position = new PositionRange(token.Start, close.End);
                RequireDurationExpressions(position);
                return new DurationExpr(token.Kind == TokenKind.Step ? DurationOperator.Step : DurationOperator.Range, null, null, position);
            }
            case TokenKind.MinOf:
            case TokenKind.MaxOf:
            {
                Advance();
                ExpectKind(TokenKind.LeftParen);
                var first = ParseDurationExpression(1);
                ExpectKind(TokenKind.Comma);
                var second = ParseDurationExpression(1);
                var close = ExpectKind(TokenKind.RightParen);
                var position = new PositionRange(token.Start, close.End);
                RequireDurationExpressions(position);
                var op = token.Kind == TokenKind.MinOf ? DurationOperator.MinOf : DurationOperator.MaxOf;
                return new DurationExpr(op, first, second, position);
            }
            case TokenKind.LeftParen:
            {
                Advance();
                var inner = ParseDurationExpression(1);
                var close = ExpectKind(TokenKind.RightParen);
                RequireDurationExpressions(inner.Position);
                var position = new PositionRange(token.Start, close.End);
                if (inner is DurationExpr duration)
                {
                    return new DurationExpr(duration.Operator, duration.Left, duration.Right, position) { Wrapped = true };
                }
                return new DurationExpr(DurationOperator.Wrap, null, inner, position) { Wrapped = true };
            }
            default:
                throw Unexpected("", "");
        }
    }

    private static bool DurationOutOfRange(double seconds) => seconds > 9223372036.854775807 || seconds < -9223372036.854775808;

    private void RequireDurationExpressions(PositionRange position)
    {
        if (!_options.EnableDurationExpressions)
        {
            throw Error(position, "experimental duration expression is not enabled");
        }
    }

    /// <summary>
    /// The duration after <c>offset</c>: a single term (signed literal, <c>step()</c>, <c>range()</c>, <c>min_of</c>,
    /// <c>max_of</c> or a parenthesised expression), so <c>foo offset 5m - 8</c> subtracts 8 from the offset selector.
    /// </summary>
    private Expr ParseOffsetDuration()
    {
        if (_current.Kind is TokenKind.Add or TokenKind.Sub)
        {
            var sign = Advance();
            if (!StartsDuration(_current.Kind) || _current.Kind is TokenKind.Add or TokenKind.Sub)
            {
                throw Unexpected("offset", OffsetExpected);
            }
            var operand = ParseDurationAtom();
            if (operand is DurationExpr)
            {
                RequireDurationExpressions(new PositionRange(sign.Start, operand.Position.End));
            }
            return ApplySign(sign, operand);
        }
        if (!StartsDuration(_current.Kind))
        {
            throw Unexpected("offset", OffsetExpected);
        }
        return ParseDurationAtom();
    }

    private void SetOffset(Expr expression, Expr offset)
    {
        var value = offset as NumberLiteral;
        var offsetExpression = offset as DurationExpr;
        switch (expression)
        {
            case VectorSelector selector:
                CheckOffsetUnset(expression, selector.OriginalOffset, selector.OffsetExpression);
                selector.OriginalOffset = value is null ? TimeSpan.Zero : SecondsToTimeSpan(value.Value);
                selector.OffsetExpression = offsetExpression;
                break;
            case MatrixSelector matrix:
                CheckOffsetUnset(expression, matrix.Selector.OriginalOffset, matrix.Selector.OffsetExpression);
                matrix.Selector.OriginalOffset = value is null ? TimeSpan.Zero : SecondsToTimeSpan(value.Value);
                matrix.Selector.OffsetExpression = offsetExpression;
                break;
            case SubqueryExpr subquery:
                CheckOffsetUnset(expression, subquery.OriginalOffset, subquery.OffsetExpression);
                subquery.OriginalOffset = value is null ? TimeSpan.Zero : SecondsToTimeSpan(value.Value);
                subquery.OffsetExpression = offsetExpression;
                break;
            default:
                throw Error(expression.Position,
                    "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
        expression.Position = new PositionRange(expression.Position.Start, _lastClosing);
    }

    private readonly void CheckOffsetUnset(Expr expression, TimeSpan offset, DurationExpr? offsetExpression)
    {
        if (offset != TimeSpan.Zero || offsetExpression is not null)
        {
            throw Error(expression.Position, "offset may not be set multiple times");
        }
    }

    private void ParseAt(Expr expression)
    {
        long? timestamp = null;
        var at = AtModifier.None;
        if (_current.Kind is TokenKind.Start or TokenKind.End)
        {
            at = Advance().Kind == TokenKind.Start ? AtModifier.Start : AtModifier.End;
            ExpectKind(TokenKind.LeftParen);
            ExpectKind(TokenKind.RightParen);
        }
        else
        {
            var negative = false;
            if (_current.Kind is TokenKind.Add or TokenKind.Sub)
            {
                negative = Advance().Kind == TokenKind.Sub;
                if (_current.Kind is not (TokenKind.Number or TokenKind.Duration))
                {
                    throw Unexpected("", "");
                }
            }
            else if (_current.Kind is not (TokenKind.Number or TokenKind.Duration))
            {
                throw Unexpected("@", "timestamp");
            }
            var seconds = ParseNumberLiteral().Value;
            seconds = negative ? -seconds : seconds;
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds >= long.MaxValue || seconds <= long.MinValue)
            {
                var shown = double.IsNaN(seconds) ? "NaN"
                    : double.IsInfinity(seconds) ? (seconds > 0 ? "+Inf" : "-Inf")
                    : seconds.ToString("F6", CultureInfo.InvariantCulture);
                throw Error(expression.Position, "timestamp out of bounds for @ modifier: " + shown);
            }
            timestamp = (long)Math.Round(seconds * 1000);
        }
        (long? Timestamp, AtModifier At) existing = expression switch
        {
            VectorSelector selector => (selector.Timestamp, selector.At),
            MatrixSelector matrix => (matrix.Selector.Timestamp, matrix.Selector.At),
            SubqueryExpr subquery => (subquery.Timestamp, subquery.At),
            _ => throw Error(expression.Position,
                "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        };
        if (existing.Timestamp is not null || existing.At != AtModifier.None)
        {
            throw Error(expression.Position, "@ <timestamp> may not be set multiple times");
        }
        switch (expression)
        {
            case VectorSelector selector:
                (selector.Timestamp, selector.At) = (timestamp, at);
                break;
            case MatrixSelector matrix:
                (matrix.Selector.Timestamp, matrix.Selector.At) = (timestamp, at);
                break;
            case SubqueryExpr subquery:
                (subquery.Timestamp, subquery.At) = (timestamp, at);
                break;
        }
        expression.Position = new PositionRange(expression.Position.Start, _lastClosing);
    }

    private readonly void SetExtendedRange(Expr expression, bool anchored)
    {
        var modifier = anchored ? "anchored" : "smoothed";
        if (!_options.EnableExtendedRangeSelectors)
        {
            throw Error(expression.Position, modifier + " modifier is experimental and not enabled");
        }
        var selector = expression switch
        {
            VectorSelector vector => vector,
            MatrixSelector matrix => matrix.Selector,
            SubqueryExpr => throw Error(expression.Position, modifier + " modifier is not supported for subqueries"),
            _ => throw Error(expression.Position, modifier + " modifier not implemented"),
        };
        if (anchored ? selector.Smoothed : selector.Anchored)
        {
            throw Error(expression.Position, "anchored and smoothed modifiers cannot be used together");
        }
        if (anchored)
        {
            selector.Anchored = true;
        }
        else
        {
            selector.Smoothed = true;
        }
    }

    private static BinaryOperator? BinaryOperatorOf(TokenKind kind) => kind switch
    {
        TokenKind.Add => BinaryOperator.Add,
        TokenKind.Sub => BinaryOperator.Sub,
        TokenKind.Mul => BinaryOperator.Mul,
        TokenKind.Div => BinaryOperator.Div,
        TokenKind.Mod => BinaryOperator.Mod,
        TokenKind.Pow => BinaryOperator.Pow,
        TokenKind.Atan2 => BinaryOperator.Atan2,
        TokenKind.EqualEqual => BinaryOperator.Eql,
        TokenKind.NotEqual => BinaryOperator.Neq,
        TokenKind.Less => BinaryOperator.Lss,
        TokenKind.Greater => BinaryOperator.Gtr,
        TokenKind.LessEqual => BinaryOperator.Lte,
        TokenKind.GreaterEqual => BinaryOperator.Gte,
        TokenKind.And => BinaryOperator.And,
        TokenKind.Or => BinaryOperator.Or,
        TokenKind.Unless => BinaryOperator.Unless,
        TokenKind.TrimUpper => BinaryOperator.TrimUpper,
        TokenKind.TrimLower => BinaryOperator.TrimLower,
        _ => null,
    };

    private Token ExpectKind(TokenKind kind)
    {
        if (_current.Kind != kind)
        {
            throw Unexpected("", "");
        }
        return Advance();
    }

    /// <summary>Consumes the current token and returns it; lexer errors surface here, as Prometheus reports them first.</summary>
    private Token Advance()
    {
        var consumed = _current;
        if (consumed.Kind is TokenKind.RightBrace or TokenKind.RightParen or TokenKind.RightBracket or TokenKind.Number
            or TokenKind.Duration)
        {
            _lastClosing = consumed.End;
        }
        do
        {
            _current = _lexer.Next();
        }
        while (_current.Kind == TokenKind.Comment);
        if (_current.Kind == TokenKind.Error)
        {
            throw Error(_current.Position, _lexer.ErrorMessage!);
        }
        return consumed;
    }

    private readonly ReadOnlySpan<byte> TextOf(Token token) => _input[token.Start..token.End];

    private readonly string Unquote(Token token)
    {
        var value = StringLiterals.Unquote(TextOf(token), out var error);
        if (value is null)
        {
            throw Error(token.Position, "error unquoting string " + StringLiterals.Quote(Encoding.UTF8.GetString(TextOf(token))) + ": " + error);
        }
        return value;
    }

    private readonly PromQLParseException Unexpected(string context, string expected)
    {
        var message = new StringBuilder("unexpected ").Append(Keywords.Describe(_current.Kind, TextOf(_current)));
        if (context.Length > 0)
        {
            message.Append(" in ").Append(context);
        }
        if (expected.Length > 0)
        {
            message.Append(", expected ").Append(expected);
        }
        return Error(_current.Position, message.ToString());
    }

    private readonly PromQLParseException Error(PositionRange position, string message) =>
        PromQLParseException.At(_input, position, message);
}
