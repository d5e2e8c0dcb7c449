using System.Globalization;
using Kansoku.Core.Labels;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Parser;

/// <summary>
/// The LogQL parser: hand-written recursive descent over <see cref="Lexer"/>, with precedence climbing for binary
/// operators. It accepts Loki's grammar (pkg/logql/syntax/syntax.y) and applies the checks Loki makes in ParseExpr
/// (matchers, aggregation parameters, unwrap and grouping rules, regexes and patterns), each reported as a
/// <see cref="LogQLParseException"/> with the position of the offending text. Keywords are recognised by context, so
/// unlike Loki a label may be called <c>json</c> or <c>by</c>.
/// </summary>
internal ref struct LogQLParser
{
    /// <summary>Loki's maxInputSize.</summary>
    public const int MaxQueryLength = 131072;

    /// <summary>Nesting deeper than this is refused rather than risking the stack; real queries nest a handful of levels.</summary>
    private const int MaxDepth = 200;

    private const string MatcherRequired = "queries require at least one regexp or equality matcher that does not have an "
        + "empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will";

    private readonly ReadOnlySpan<char> _source;
    private Lexer _lexer;
    private Token _token;
    private int _previousEnd;
    private int _depth;

    private LogQLParser(string query)
    {
        _source = query;
        _lexer = new Lexer(query);
        _token = _lexer.Next();
    }

    /// <summary>Parses a log query (<see cref="LogSelectorExpr"/>) or a metric query (<see cref="SampleExpr"/>).</summary>
    /// <exception cref="LogQLParseException">The query is not valid LogQL.</exception>
    public static Expr Parse(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Length >= MaxQueryLength)
        {
            throw new LogQLParseException($"input size too long ({query.Length} > {MaxQueryLength})", 0, 1, 1);
        }
        var parser = new LogQLParser(query);
        var expr = parser.ParseExpression(0);
        if (parser._token.Kind != TokenKind.End)
        {
            throw parser.Unexpected(null);
        }
        return expr;
    }

    /// <summary>Parses a log query; a metric query is an error (for the tail and log-only endpoints).</summary>
    public static LogSelectorExpr ParseLogSelector(string query) =>
        Parse(query) as LogSelectorExpr ?? throw new LogQLParseException("only log selector is supported", 0, 1, 1);

    /// <summary>Parses a metric query; a log query is an error (for rules and instant queries).</summary>
    public static SampleExpr ParseSampleExpr(string query) =>
        Parse(query) as SampleExpr ?? throw new LogQLParseException("only sample expression supported", 0, 1, 1);

    // ---- metric expressions -------------------------------------------------------------------------------------

    private Expr ParseExpression(int minPrecedence)
    {
        var left = ParseUnary();
        while (TryBinaryOperator(out var op) && Keywords.Precedence(op) >= minPrecedence)
        {
            Advance();
            var returnBool = false;
            if (IsWord(_token, "bool"))
            {
                if (!Keywords.IsComparison(op))
                {
                    throw Error(_token.Start, "bool modifier can only be used on comparison operators");
                }
                Advance();
                returnBool = true;
            }
            VectorMatching? matching = null;
            if (IsWord(_token, "on") || IsWord(_token, "ignoring"))
            {
                var on = IsWord(Advance(), "on");
                var labels = ParseLabelList();
                var cardinality = VectorMatchCardinality.OneToOne;
                IReadOnlyList<string> include = [];
                if (IsWord(_token, "group_left") || IsWord(_token, "group_right"))
                {
                    if (Keywords.IsSetOperator(op))
                    {
                        throw Error(_token.Start, $"no grouping allowed for \"{Keywords.Text(op)}\" operation");
                    }
                    cardinality = IsWord(Advance(), "group_left") ? VectorMatchCardinality.ManyToOne : VectorMatchCardinality.OneToMany;
                    if (_token.Kind == TokenKind.LeftParen)
                    {
                        include = ParseLabelList();
                    }
                }
                matching = new VectorMatching(on, labels, cardinality, include);
            }
            var right = ParseExpression(op == BinaryOperator.Power ? Keywords.Precedence(op) : Keywords.Precedence(op) + 1);
            left = MakeBinary(op, left, right, returnBool, matching);
        }
        return left;
    }

    private readonly BinaryOpExpr MakeBinary(BinaryOperator op, Expr left, Expr right, bool returnBool, VectorMatching? matching)
    {
        var text = Keywords.Text(op);
        if (left is not SampleExpr leftSample)
        {
            throw Error(left.Span.Start, $"unexpected type for left leg of binary operation ({text}): log selector");
        }
        if (right is not SampleExpr rightSample)
        {
            throw Error(right.Span.Start, $"unexpected type for right leg of binary operation ({text}): log selector");
        }
        if (Keywords.IsSetOperator(op))
        {
            if (left is LiteralExpr leftLiteral)
            {
                throw Error(left.Span.Start, string.Create(CultureInfo.InvariantCulture,
                    $"unexpected literal for left leg of logical/set binary operation ({text}): {leftLiteral.Value:F6}"));
            }
            if (right is LiteralExpr rightLiteral)
            {
                throw Error(right.Span.Start, string.Create(CultureInfo.InvariantCulture,
                    $"unexpected literal for right leg of logical/set binary operation ({text}): {rightLiteral.Value:F6}"));
            }
        }
        return new BinaryOpExpr(new SourceSpan(left.Span.Start, right.Span.End), op, leftSample, rightSample, returnBool, matching);
    }

    private Expr ParseUnary()
    {
        Enter();
        Expr result;
        switch (_token.Kind)
        {
            case TokenKind.Number:
                var number = Advance();
                result = new LiteralExpr(new SourceSpan(number.Start, number.End), number.Number);
                break;
            case TokenKind.Plus or TokenKind.Minus when Peek().Kind == TokenKind.Number:
                var sign = Advance();
                var value = Advance();
                result = new LiteralExpr(new SourceSpan(sign.Start, value.End), sign.Kind == TokenKind.Minus ? -value.Number : value.Number);
                break;
            case TokenKind.LeftBrace:
                result = ParseLogQuery();
                break;
            case TokenKind.LeftParen:
                Advance();
                result = ParseExpression(0);
                Expect(TokenKind.RightParen, ")");
                break;
            case TokenKind.Identifier:
                result = ParseFunction();
                break;
            default:
                throw Unexpected(null);
        }
        _depth--;
        return result;
    }

    private SampleExpr ParseFunction()
    {
        var word = Text(_token);
        var next = Peek();
        if (next.Kind == TokenKind.LeftParen && Keywords.TryRangeOperation(word, out var rangeOperation))
        {
            return ParseRangeAggregation(rangeOperation);
        }
        if ((next.Kind == TokenKind.LeftParen || IsWord(next, "by") || IsWord(next, "without"))
            && Keywords.TryVectorOperation(word, out var vectorOperation))
        {
            return ParseVectorAggregation(vectorOperation);
        }
        if (next.Kind == TokenKind.LeftParen && word.Equals("vector", StringComparison.OrdinalIgnoreCase))
        {
            var name = Advance();
            Advance();
            var value = Expect(TokenKind.Number, "NUMBER");
            var close = Expect(TokenKind.RightParen, ")");
            return new VectorExpr(new SourceSpan(name.Start, close.End), value.Number);
        }
        if (next.Kind == TokenKind.LeftParen && word.Equals("label_replace", StringComparison.OrdinalIgnoreCase))
        {
            return ParseLabelReplace();
        }
        throw Unexpected(null);
    }

    private RangeAggregationExpr ParseRangeAggregation(RangeOperation operation)
    {
        var name = Advance();
        var nameText = Keywords.Name(operation);
        Advance();
        Token? parameterToken = null;
        if (_token.Kind == TokenKind.Number && Peek().Kind == TokenKind.Comma)
        {
            parameterToken = Advance();
            Advance();
        }
        var range = ParseLogRange();
        var close = Expect(TokenKind.RightParen, ")");
        var grouping = TryParseGrouping();

        if (parameterToken is { } parameter && operation != RangeOperation.QuantileOverTime)
        {
            throw Error(parameter.Start, $"parameter {Text(parameter)} not supported for operation {nameText}");
        }
        if (parameterToken is null && operation == RangeOperation.QuantileOverTime)
        {
            throw Error(name.Start, $"parameter required for operation {nameText}");
        }
        if (grouping is not null && !AllowsGrouping(operation))
        {
            throw Error(name.Start, $"grouping not allowed for {nameText} aggregation");
        }
        if (range.Unwrap is not null && !AllowsUnwrap(operation))
        {
            throw Error(range.Unwrap.Span.Start, $"invalid aggregation {nameText} with unwrap");
        }
        if (range.Unwrap is null && !AllowsNoUnwrap(operation))
        {
            throw Error(name.Start, $"invalid aggregation {nameText} without unwrap");
        }
        return new RangeAggregationExpr(
            new SourceSpan(name.Start, _previousEnd), operation, parameterToken?.Number, range, grouping);

        static bool AllowsGrouping(RangeOperation op) => op is RangeOperation.AvgOverTime or RangeOperation.StddevOverTime
            or RangeOperation.StdvarOverTime or RangeOperation.QuantileOverTime or RangeOperation.MaxOverTime
            or RangeOperation.MinOverTime or RangeOperation.FirstOverTime or RangeOperation.LastOverTime;

        static bool AllowsUnwrap(RangeOperation op) => op is not (RangeOperation.CountOverTime or RangeOperation.BytesOverTime
            or RangeOperation.BytesRate);

        static bool AllowsNoUnwrap(RangeOperation op) => op is RangeOperation.CountOverTime or RangeOperation.BytesOverTime
            or RangeOperation.BytesRate or RangeOperation.Rate or RangeOperation.AbsentOverTime;
    }

    private VectorAggregationExpr ParseVectorAggregation(VectorOperation operation)
    {
        var name = Advance();
        var nameText = Keywords.Name(operation);
        var grouping = TryParseGrouping();
        Expect(TokenKind.LeftParen, "(");
        Token? parameterToken = null;
        if (_token.Kind == TokenKind.Number && Peek().Kind == TokenKind.Comma)
        {
            parameterToken = Advance();
            Advance();
        }
        var inner = ParseExpression(0);
        Expect(TokenKind.RightParen, ")");
        var innerSample = RequireSample(inner);
        grouping ??= TryParseGrouping();

        int? parameter = null;
        if (operation is VectorOperation.TopK or VectorOperation.BottomK or VectorOperation.ApproxTopK)
        {
            if (parameterToken is not { } token)
            {
                throw Error(name.Start, $"parameter required for operation {nameText}");
            }
            if (!int.TryParse(Text(token), NumberStyles.None, CultureInfo.InvariantCulture, out var k))
            {
                throw Error(token.Start, $"invalid parameter {nameText}({Text(token)},");
            }
            if (k <= 0)
            {
                throw Error(token.Start, $"invalid parameter (must be greater than 0) {nameText}({Text(token)}");
            }
            if (operation == VectorOperation.ApproxTopK && grouping is not null)
            {
                throw Error(name.Start, $"grouping not allowed for {nameText} aggregation");
            }
            parameter = k;
        }
        else if (parameterToken is { } token)
        {
            throw Error(token.Start, $"unsupported parameter for operation {nameText}({Text(token)},");
        }
        if (operation is VectorOperation.Sort or VectorOperation.SortDesc && grouping is { Labels.Count: > 0 })
        {
            throw Error(name.Start, "sort and sort_desc doesn't allow grouping by ");
        }
        return new VectorAggregationExpr(new SourceSpan(name.Start, _previousEnd), operation, parameter, innerSample, grouping);
    }

    private LabelReplaceExpr ParseLabelReplace()
    {
        var name = Advance();
        Advance();
        var inner = ParseExpression(0);
        Expect(TokenKind.Comma, ",");
        var innerSample = RequireSample(inner);
        var destination = ExpectString();
        Expect(TokenKind.Comma, ",");
        var replacement = ExpectString();
        Expect(TokenKind.Comma, ",");
        var source = ExpectString();
        Expect(TokenKind.Comma, ",");
        var regexToken = _token;
        var regex = ExpectString();
        Expect(TokenKind.RightParen, ")");
        try
        {
            GoRegex.Compile(regex, anchored: true);
        }
        catch (ArgumentException e)
        {
            throw Error(regexToken.Start, "invalid regex in label_replace: " + e.Message);
        }
        return new LabelReplaceExpr(new SourceSpan(name.Start, _previousEnd), innerSample, destination, replacement, source, regex);
    }

    private readonly SampleExpr RequireSample(Expr expr) => expr as SampleExpr
        ?? throw Error(expr.Span.Start, "syntax error: unexpected log selector, expecting metric expression");

    private Grouping? TryParseGrouping()
    {
        if (!IsWord(_token, "by") && !IsWord(_token, "without"))
        {
            return null;
        }
        var without = IsWord(Advance(), "without");
        return new Grouping(without, ParseLabelList());
    }

    /// <summary><c>( [name {, name}] )</c></summary>
    private List<string> ParseLabelList()
    {
        Expect(TokenKind.LeftParen, "(");
        var labels = new List<string>();
        if (_token.Kind == TokenKind.RightParen)
        {
            Advance();
            return labels;
        }
        while (true)
        {
            labels.Add(Text(Expect(TokenKind.Identifier, "IDENTIFIER")));
            if (_token.Kind == TokenKind.Comma)
            {
                Advance();
                continue;
            }
            Expect(TokenKind.RightParen, ", or )");
            return labels;
        }
    }

    // ---- log queries and ranges ---------------------------------------------------------------------------------

    private LogSelectorExpr ParseLogQuery()
    {
        var start = _token.Start;
        var matchers = ParseSelector();
        var stages = new List<PipelineStage>();
        ParsePipeline(stages, allowUnwrap: false);
        return new LogSelectorExpr(new SourceSpan(start, _previousEnd), matchers, stages);
    }

    /// <summary>
    /// The argument of a range aggregation, in all of Loki's shapes: <c>sel | p | unwrap x [5m] offset 1h</c>,
    /// <c>(sel | p | unwrap x)[5m]</c>, <c>sel[5m] offset 1h | p | unwrap x</c> and any of them in parentheses.
    /// </summary>
    private LogRangeExpr ParseLogRange()
    {
        Enter();
        var start = _token.Start;
        LogRangeExpr result;
        if (_token.Kind == TokenKind.LeftParen)
        {
            Advance();
            if (_token.Kind == TokenKind.LeftParen)
            {
                result = ParseLogRange();
                Expect(TokenKind.RightParen, ")");
            }
            else
            {
                var (selector, unwrap) = ParseSelectorAndPipeline();
                if (_token.Kind == TokenKind.Range)
                {
                    result = FinishLogRange(start, selector, unwrap);
                    Expect(TokenKind.RightParen, ")");
                }
                else
                {
                    Expect(TokenKind.RightParen, ")");
                    result = FinishLogRange(start, selector, unwrap);
                }
            }
        }
        else if (_token.Kind == TokenKind.LeftBrace)
        {
            var (selector, unwrap) = ParseSelectorAndPipeline();
            result = FinishLogRange(start, selector, unwrap);
        }
        else
        {
            throw Unexpected("{ or (");
        }
        _depth--;
        return result;
    }

    private (LogSelectorExpr Selector, UnwrapExpr? Unwrap) ParseSelectorAndPipeline()
    {
        if (_token.Kind != TokenKind.LeftBrace)
        {
            throw Unexpected("{");
        }
        var start = _token.Start;
        var matchers = ParseSelector();
        var stages = new List<PipelineStage>();
        var unwrap = ParsePipeline(stages, allowUnwrap: true);
        return (new LogSelectorExpr(new SourceSpan(start, _previousEnd), matchers, stages), unwrap);
    }

    private LogRangeExpr FinishLogRange(int start, LogSelectorExpr selector, UnwrapExpr? unwrap)
    {
        var range = Expect(TokenKind.Range, "RANGE");
        var offset = TimeSpan.Zero;
        if (IsWord(_token, "offset"))
        {
            Advance();
            offset = Expect(TokenKind.Duration, "DURATION").Duration;
        }
        // Loki also takes the pipeline after the range, but only when none came before it.
        if (selector.Stages.Count == 0 && unwrap is null && (IsLineFilter(_token.Kind) || _token.Kind == TokenKind.Pipe))
        {
            var stages = new List<PipelineStage>();
            unwrap = ParsePipeline(stages, allowUnwrap: true);
            selector = new LogSelectorExpr(new SourceSpan(selector.Span.Start, _previousEnd), selector.Matchers, stages);
        }
        return new LogRangeExpr(new SourceSpan(start, _previousEnd), selector, range.Duration, offset, unwrap);
    }

    private List<LabelMatcher> ParseSelector()
    {
        var open = Expect(TokenKind.LeftBrace, "{");
        var matchers = new List<LabelMatcher>();
        if (_token.Kind == TokenKind.RightBrace)
        {
            Advance();
        }
        else
        {
            while (true)
            {
                matchers.Add(ParseMatcher());
                if (_token.Kind == TokenKind.Comma)
                {
                    Advance();
                    continue;
                }
                Expect(TokenKind.RightBrace, "} or ,");
                break;
            }
        }
        // Loki refuses selectors that would read every stream; a matcher matching "" only filters.
        foreach (var matcher in matchers)
        {
            if (!matcher.MatchesEmpty)
            {
                return matchers;
            }
        }
        throw Error(open.Start, MatcherRequired);
    }

    private LabelMatcher ParseMatcher()
    {
        var name = Text(Expect(TokenKind.Identifier, "IDENTIFIER"));
        var type = _token.Kind switch
        {
            TokenKind.Equal => LabelMatchType.Equal,
            TokenKind.NotEqual => LabelMatchType.NotEqual,
            TokenKind.RegexMatch => LabelMatchType.RegexMatch,
            TokenKind.RegexNoMatch => LabelMatchType.RegexNoMatch,
            _ => throw Unexpected("= or != or =~ or !~"),
        };
        Advance();
        var valueToken = _token;
        return NewMatcher(type, name, ExpectString(), valueToken.Start);
    }

    private readonly LabelMatcher NewMatcher(LabelMatchType type, string name, string value, int valueStart)
    {
        if (type is LabelMatchType.RegexMatch or LabelMatchType.RegexNoMatch && GoRegex.Validate(value) is { } error)
        {
            throw Error(valueStart, $"invalid regex {StringLiterals.Quote(value)}: {error}");
        }
        try
        {
            return new LabelMatcher(type, name, value);
        }
        catch (ArgumentException e)
        {
            throw Error(valueStart, $"invalid regex {StringLiterals.Quote(value)}: {e.Message}");
        }
    }

    // ---- pipelines ----------------------------------------------------------------------------------------------

    /// <summary>Appends stages until the pipeline ends; returns the unwrap (and its filters) that may close it.</summary>
    private UnwrapExpr? ParsePipeline(List<PipelineStage> stages, bool allowUnwrap)
    {
        while (true)
        {
            if (IsLineFilter(_token.Kind))
            {
                stages.Add(ParseLineFilter());
                continue;
            }
            if (_token.Kind != TokenKind.Pipe)
            {
                return null;
            }
            var pipe = Advance();
            if (_token.Kind == TokenKind.Identifier && IsStage(Text(_token), Peek().Kind))
            {
                var word = Text(_token).ToLowerInvariant();
                if (word == "unwrap")
                {
                    if (!allowUnwrap)
                    {
                        throw Unexpected(null);
                    }
                    return ParseUnwrap(pipe);
                }
                stages.Add(ParseStage(pipe, word));
                continue;
            }
            var filter = ParseLabelFilter();
            stages.Add(new LabelFilterStage(new SourceSpan(pipe.Start, _previousEnd), filter));
        }
    }

    /// <summary>
    /// Whether a stage word after <c>|</c> starts that stage rather than a label filter on a label of that name: it does
    /// unless a comparison follows. <c>!=</c> and <c>!~</c> after json/logfmt/unpack/decolorize stay line filters, as in Loki.
    /// </summary>
    private static bool IsStage(ReadOnlySpan<char> word, TokenKind next)
    {
        if (!Keywords.IsStageWord(word))
        {
            return false;
        }
        return next switch
        {
            TokenKind.Equal or TokenKind.RegexMatch or TokenKind.EqualEqual or TokenKind.Greater or TokenKind.GreaterOrEqual
                or TokenKind.Less or TokenKind.LessOrEqual => false,
            TokenKind.NotEqual or TokenKind.RegexNoMatch => word.Equals("json", StringComparison.OrdinalIgnoreCase)
                || word.Equals("logfmt", StringComparison.OrdinalIgnoreCase)
                || word.Equals("unpack", StringComparison.OrdinalIgnoreCase)
                || word.Equals("decolorize", StringComparison.OrdinalIgnoreCase),
            _ => true,
        };
    }

    private PipelineStage ParseStage(Token pipe, string word)
    {
        Advance();
        PipelineStage stage;
        switch (word)
        {
            case "json":
                stage = new JsonParserStage(Span(pipe), ParseExtractions());
                break;
            case "logfmt":
                var strict = false;
                var keepEmpty = false;
                while (_token.Kind == TokenKind.Flag)
                {
                    var flag = Advance();
                    strict |= flag.Text == "--strict";
                    keepEmpty |= flag.Text == "--keep-empty";
                }
                stage = new LogfmtParserStage(Span(pipe), strict, keepEmpty, ParseExtractions());
                break;
            case "regexp":
                var regexToken = _token;
                var regex = ExpectString();
                ValidateRegexpParser(regex, regexToken.Start);
                stage = new RegexpParserStage(Span(pipe), regex);
                break;
            case "pattern":
                var patternToken = _token;
                var pattern = LinePattern.Parse(ExpectString());
                if (pattern.ValidateForParser() is { } patternError)
                {
                    throw Error(patternToken.Start, "invalid pattern parser: " + patternError);
                }
                stage = new PatternParserStage(Span(pipe), pattern);
                break;
            case "unpack":
                stage = new UnpackParserStage(Span(pipe));
                break;
            case "decolorize":
                stage = new DecolorizeStage(Span(pipe));
                break;
            case "line_format":
                stage = new LineFormatStage(Span(pipe), ExpectString());
                break;
            case "label_format":
                stage = new LabelFormatStage(Span(pipe), ParseLabelFormats());
                break;
            case "drop":
                stage = new DropLabelsStage(Span(pipe), ParseNamedMatchers());
                break;
            default:
                stage = new KeepLabelsStage(Span(pipe), ParseNamedMatchers());
                break;
        }
        return stage;
    }

    private readonly void ValidateRegexpParser(string regex, int position)
    {
        var names = new List<string>();
        if (GoRegex.Validate(regex, names) is { } error)
        {
            throw Error(position, "invalid regexp parser: " + error);
        }
        if (names.Count == 0)
        {
            throw Error(position, "invalid regexp parser: at least one named capture must be supplied");
        }
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!unique.Add(name))
            {
                throw Error(position, $"invalid regexp parser: duplicate extracted label name '{name}'");
            }
        }
    }

    /// <summary><c>name</c> or <c>name="expression"</c>, comma separated; none at all is fine.</summary>
    private List<LabelExtraction> ParseExtractions()
    {
        var extractions = new List<LabelExtraction>();
        if (_token.Kind != TokenKind.Identifier)
        {
            return extractions;
        }
        while (true)
        {
            var name = Text(Expect(TokenKind.Identifier, "IDENTIFIER"));
            var expression = name;
            if (_token.Kind == TokenKind.Equal)
            {
                Advance();
                expression = ExpectString();
            }
            extractions.Add(new LabelExtraction(name, expression));
            if (_token.Kind != TokenKind.Comma)
            {
                return extractions;
            }
            Advance();
        }
    }

    private List<LabelFormatItem> ParseLabelFormats()
    {
        var items = new List<LabelFormatItem>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var nameToken = Expect(TokenKind.Identifier, "IDENTIFIER");
            var name = Text(nameToken);
            Expect(TokenKind.Equal, "=");
            LabelFormatItem item;
            if (_token.Kind == TokenKind.Identifier)
            {
                item = new LabelFormatItem(name, Text(Advance()), IsRename: true);
            }
            else if (_token.Kind == TokenKind.String)
            {
                item = new LabelFormatItem(name, Advance().Text!, IsRename: false);
            }
            else
            {
                throw Unexpected("IDENTIFIER or STRING");
            }
            if (name == "__error__")
            {
                throw Error(nameToken.Start, "__error__ cannot be formatted");
            }
            if (!names.Add(name))
            {
                throw Error(nameToken.Start, $"multiple label name '{name}' not allowed in a single format operation");
            }
            items.Add(item);
            if (_token.Kind != TokenKind.Comma)
            {
                return items;
            }
            Advance();
        }
    }

    /// <summary>The operands of drop/keep: <c>name</c> or <c>name op "value"</c>, comma separated.</summary>
    private List<NamedLabelMatcher> ParseNamedMatchers()
    {
        var labels = new List<NamedLabelMatcher>();
        while (true)
        {
            var next = Peek().Kind;
            if (next is TokenKind.Equal or TokenKind.NotEqual or TokenKind.RegexMatch or TokenKind.RegexNoMatch)
            {
                var matcher = ParseMatcher();
                labels.Add(new NamedLabelMatcher(matcher.Name, matcher));
            }
            else
            {
                labels.Add(new NamedLabelMatcher(Text(Expect(TokenKind.Identifier, "IDENTIFIER")), null));
            }
            if (_token.Kind != TokenKind.Comma)
            {
                return labels;
            }
            Advance();
        }
    }

    private LineFilterStage ParseLineFilter()
    {
        var op = Advance();
        var type = op.Kind switch
        {
            TokenKind.PipeExact => LineFilterType.Contains,
            TokenKind.NotEqual => LineFilterType.NotContains,
            TokenKind.PipeRegex => LineFilterType.Regex,
            TokenKind.RegexNoMatch => LineFilterType.NotRegex,
            TokenKind.PipePattern => LineFilterType.Pattern,
            _ => LineFilterType.NotPattern,
        };
        var values = new List<LineFilterValue> { ParseLineFilterValue(type) };
        while (IsWord(_token, "or"))
        {
            var next = Peek();
            if (next.Kind != TokenKind.String && !IsWord(next, "ip"))
            {
                break;
            }
            Advance();
            values.Add(ParseLineFilterValue(type));
        }
        return new LineFilterStage(Span(op), type, values);
    }

    private LineFilterValue ParseLineFilterValue(LineFilterType type)
    {
        var start = _token.Start;
        if (_token.Kind == TokenKind.String)
        {
            var value = Advance().Text!;
            if (type is LineFilterType.Regex or LineFilterType.NotRegex && GoRegex.Validate(value) is { } regexError)
            {
                throw Error(start, $"invalid regex {StringLiterals.Quote(value)}: {regexError}");
            }
            if (type is LineFilterType.Pattern or LineFilterType.NotPattern
                && LinePattern.Parse(value).ValidateForLineFilter() is { } patternError)
            {
                throw Error(start, "invalid line filter pattern: " + patternError);
            }
            return new LineFilterValue(value, IsIp: false);
        }
        if (IsWord(_token, "ip"))
        {
            if (type is not (LineFilterType.Contains or LineFilterType.NotContains))
            {
                throw Error(start, $"ip() line filters only support |= and !=, not {Keywords.Text(type)}");
            }
            Advance();
            Expect(TokenKind.LeftParen, "(");
            var value = ExpectString();
            Expect(TokenKind.RightParen, ")");
            return new LineFilterValue(value, IsIp: true);
        }
        throw Unexpected("STRING or ip");
    }

    private UnwrapExpr ParseUnwrap(Token pipe)
    {
        Advance();
        var conversion = _token.Kind == TokenKind.Identifier && Peek().Kind == TokenKind.LeftParen
            ? Text(_token).ToLowerInvariant() switch
            {
                "bytes" => UnwrapConversion.Bytes,
                "duration" => UnwrapConversion.Duration,
                "duration_seconds" => UnwrapConversion.DurationSeconds,
                _ => UnwrapConversion.None,
            }
            : UnwrapConversion.None;
        string label;
        if (conversion != UnwrapConversion.None)
        {
            Advance();
            Advance();
            label = Text(Expect(TokenKind.Identifier, "IDENTIFIER"));
            Expect(TokenKind.RightParen, ")");
        }
        else
        {
            label = Text(Expect(TokenKind.Identifier, "IDENTIFIER"));
        }
        var filters = new List<LabelFilter>();
        while (_token.Kind == TokenKind.Pipe)
        {
            Advance();
            filters.Add(ParseLabelFilter());
        }
        return new UnwrapExpr(Span(pipe), label, conversion, filters);
    }

    // ---- label filters ------------------------------------------------------------------------------------------
    //
    // Loki's yacc grammar leaves ',' and juxtaposition ("a=1 b=2") without precedence, so yacc always shifts on them:
    // their left side is the single filter just before, their right side everything after. "and" binds tighter than
    // "or". So "a or b, c" is "a or (b and c)" and "a, b or c" is "a and (b or c)"; this parser reproduces that.

    private LabelFilter ParseLabelFilter()
    {
        // Iterative rather than recursive on ',' so that a long list of conditions cannot exhaust the stack: each
        // pending entry is an or/and chain whose last operand is "primary and <the rest>".
        Stack<(List<LabelFilter> Ors, List<LabelFilter> Ands, LabelFilter Primary)>? pending = null;
        LabelFilter result;
        while (true)
        {
            var ors = new List<LabelFilter>();
            var ands = new List<LabelFilter>();
            var restFollows = false;
            while (true)
            {
                var primary = ParseLabelFilterPrimary();
                if (_token.Kind is TokenKind.Comma or TokenKind.LeftParen
                    || (_token.Kind == TokenKind.Identifier && !IsWord(_token, "or") && !IsWord(_token, "and")))
                {
                    if (_token.Kind == TokenKind.Comma)
                    {
                        Advance();
                    }
                    (pending ??= new()).Push((ors, ands, primary));
                    restFollows = true;
                    break;
                }
                ands.Add(primary);
                if (IsWord(_token, "and"))
                {
                    Advance();
                    continue;
                }
                ors.Add(Fold(ands, LabelFilterOperator.And));
                ands.Clear();
                if (IsWord(_token, "or"))
                {
                    Advance();
                    continue;
                }
                break;
            }
            if (!restFollows)
            {
                result = Fold(ors, LabelFilterOperator.Or);
                break;
            }
        }
        while (pending is { Count: > 0 })
        {
            var (ors, ands, primary) = pending.Pop();
            ands.Add(Combine(LabelFilterOperator.And, primary, result));
            ors.Add(Fold(ands, LabelFilterOperator.And));
            result = Fold(ors, LabelFilterOperator.Or);
        }
        return result;
    }

    private static LabelFilter Fold(List<LabelFilter> operands, LabelFilterOperator op)
    {
        var result = operands[0];
        for (var i = 1; i < operands.Count; i++)
        {
            result = Combine(op, result, operands[i]);
        }
        return result;
    }

    private static BinaryLabelFilter Combine(LabelFilterOperator op, LabelFilter left, LabelFilter right) =>
        new(new SourceSpan(left.Span.Start, right.Span.End), op, left, right);

    private LabelFilter ParseLabelFilterPrimary()
    {
        if (_token.Kind == TokenKind.LeftParen)
        {
            Enter();
            Advance();
            var inner = ParseLabelFilter();
            Expect(TokenKind.RightParen, ")");
            _depth--;
            return inner;
        }
        var nameToken = Expect(TokenKind.Identifier, "IDENTIFIER or (");
        var name = Text(nameToken);
        var op = _token;
        switch (op.Kind)
        {
            case TokenKind.Equal or TokenKind.NotEqual:
                Advance();
                var comparison = op.Kind == TokenKind.Equal ? LabelComparison.Equal : LabelComparison.NotEqual;
                if (_token.Kind == TokenKind.String)
                {
                    var valueStart = _token.Start;
                    var value = Advance().Text!;
                    var type = op.Kind == TokenKind.Equal ? LabelMatchType.Equal : LabelMatchType.NotEqual;
                    return new StringLabelFilter(Span(nameToken), NewMatcher(type, name, value, valueStart));
                }
                if (IsWord(_token, "ip") && Peek().Kind == TokenKind.LeftParen)
                {
                    Advance();
                    Advance();
                    var pattern = ExpectString();
                    Expect(TokenKind.RightParen, ")");
                    return new IpLabelFilter(Span(nameToken), name, comparison, pattern);
                }
                return ParseComparisonFilter(nameToken, name, comparison, "STRING or NUMBER or DURATION or BYTES or ip");
            case TokenKind.RegexMatch or TokenKind.RegexNoMatch:
                Advance();
                var regexStart = _token.Start;
                var regex = ExpectString();
                var regexType = op.Kind == TokenKind.RegexMatch ? LabelMatchType.RegexMatch : LabelMatchType.RegexNoMatch;
                return new StringLabelFilter(Span(nameToken), NewMatcher(regexType, name, regex, regexStart));
            case TokenKind.EqualEqual:
                Advance();
                return ParseComparisonFilter(nameToken, name, LabelComparison.Equal, "NUMBER or DURATION or BYTES");
            case TokenKind.Greater:
                Advance();
                return ParseComparisonFilter(nameToken, name, LabelComparison.Greater, "NUMBER or DURATION or BYTES");
            case TokenKind.GreaterOrEqual:
                Advance();
                return ParseComparisonFilter(nameToken, name, LabelComparison.GreaterOrEqual, "NUMBER or DURATION or BYTES");
            case TokenKind.Less:
                Advance();
                return ParseComparisonFilter(nameToken, name, LabelComparison.Less, "NUMBER or DURATION or BYTES");
            case TokenKind.LessOrEqual:
                Advance();
                return ParseComparisonFilter(nameToken, name, LabelComparison.LessOrEqual, "NUMBER or DURATION or BYTES");
            default:
                throw Unexpected("= or != or =~ or !~ or == or > or >= or < or <=");
        }
    }

    private LabelFilter ParseComparisonFilter(Token nameToken, string name, LabelComparison comparison, string expecting)
    {
        switch (_token.Kind)
        {
            case TokenKind.Duration:
                var duration = Advance().Duration;
                return new DurationLabelFilter(Span(nameToken), name, comparison, duration);
            case TokenKind.Bytes:
                var bytes = Advance().Bytes;
                return new BytesLabelFilter(Span(nameToken), name, comparison, bytes);
            case TokenKind.Number:
                var number = Advance().Number;
                return new NumericLabelFilter(Span(nameToken), name, comparison, number);
            case TokenKind.Plus or TokenKind.Minus when Peek().Kind == TokenKind.Number:
                var negative = Advance().Kind == TokenKind.Minus;
                var value = Advance().Number;
                return new NumericLabelFilter(Span(nameToken), name, comparison, negative ? -value : value);
            default:
                throw Unexpected(expecting);
        }
    }

    // ---- tokens -------------------------------------------------------------------------------------------------

    private Token Advance()
    {
        var token = _token;
        _previousEnd = token.End;
        _token = _lexer.Next();
        return token;
    }

    /// <summary>The token after the current one.</summary>
    private readonly Token Peek()
    {
        var lookahead = _lexer;
        return lookahead.Next();
    }

    private Token Expect(TokenKind kind, string expecting)
    {
        if (_token.Kind != kind)
        {
            throw Unexpected(expecting);
        }
        return Advance();
    }

    private string ExpectString() => Expect(TokenKind.String, "STRING").Text!;

    private readonly string Text(Token token) => new(_source[token.Start..token.End]);

    private readonly bool IsWord(Token token, string word) =>
        token.Kind == TokenKind.Identifier && _source[token.Start..token.End].Equals(word, StringComparison.OrdinalIgnoreCase);

    private readonly SourceSpan Span(Token first) => new(first.Start, _previousEnd);

    private static bool IsLineFilter(TokenKind kind) => kind is TokenKind.PipeExact or TokenKind.NotEqual or TokenKind.PipeRegex
        or TokenKind.RegexNoMatch or TokenKind.PipePattern or TokenKind.PatternNoMatch;

    private readonly bool TryBinaryOperator(out BinaryOperator op)
    {
        op = _token.Kind switch
        {
            TokenKind.Plus => BinaryOperator.Add,
            TokenKind.Minus => BinaryOperator.Subtract,
            TokenKind.Star => BinaryOperator.Multiply,
            TokenKind.Slash => BinaryOperator.Divide,
            TokenKind.Percent => BinaryOperator.Modulo,
            TokenKind.Caret => BinaryOperator.Power,
            TokenKind.EqualEqual => BinaryOperator.Equal,
            TokenKind.NotEqual => BinaryOperator.NotEqual,
            TokenKind.Greater => BinaryOperator.Greater,
            TokenKind.GreaterOrEqual => BinaryOperator.GreaterOrEqual,
            TokenKind.Less => BinaryOperator.Less,
            TokenKind.LessOrEqual => BinaryOperator.LessOrEqual,
            TokenKind.Identifier when IsWord(_token, "or") => BinaryOperator.Or,
            TokenKind.Identifier when IsWord(_token, "and") => BinaryOperator.And,
            TokenKind.Identifier when IsWord(_token, "unless") => BinaryOperator.Unless,
            _ => (BinaryOperator)(-1),
        };
        return op >= 0;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Error(_token.Start, "expression nested too deeply");
        }
    }

    private readonly LogQLParseException Error(int offset, string reason) => LogQLParseException.At(_source, offset, reason);

    /// <summary>Loki's yacc message: <c>syntax error: unexpected X[, expecting Y]</c>.</summary>
    private readonly LogQLParseException Unexpected(string? expecting)
    {
        var what = _token.Kind switch
        {
            TokenKind.End => "$end",
            TokenKind.Identifier => Keywords.IsReservedWord(_source[_token.Start.._token.End])
                ? Text(_token).ToLowerInvariant()
                : "IDENTIFIER",
            TokenKind.String => "STRING",
            TokenKind.Number => "NUMBER",
            TokenKind.Duration => "DURATION",
            TokenKind.Bytes => "BYTES",
            TokenKind.Range => "RANGE",
            TokenKind.Flag => "FUNCTION_FLAG",
            _ => Text(_token),
        };
        var reason = expecting is null ? $"syntax error: unexpected {what}" : $"syntax error: unexpected {what}, expecting {expecting}";
        return Error(_token.Start, reason);
    }
}
