using System.Globalization;

namespace Kansoku.LogQL.Engine.Templates;

/// <summary>Recursive-descent parser for the Go text/template subset LogQL users write.</summary>
internal sealed class TemplateParser
{
    private readonly string _name;
    private readonly string _text;
    private readonly List<TemplateToken> _tokens;
    private readonly List<string> _fields = [];
    private int _index;

    private TemplateParser(string name, string text)
    {
        _name = name;
        _text = text;
        _tokens = TemplateLexer.Tokenize(name, text);
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="fields"/> are the data fields it reads (<c>.x</c>).</summary>
    public static ListNode Parse(string name, string text, out IReadOnlyList<string> fields)
    {
        var parser = new TemplateParser(name, text);
        var root = parser.ParseList(out var terminator);
        if (terminator is not null)
        {
            throw parser.Error(terminator.Value.Offset, $"unexpected {{{{{terminator.Value.Text}}}}}");
        }
        fields = parser._fields;
        return root;
    }

    /// <summary>Parses until the end, <c>{{end}}</c> or <c>{{else}}</c>; <paramref name="terminator"/> is the keyword token met.</summary>
    private ListNode ParseList(out TemplateToken? terminator)
    {
        var list = new ListNode(Current.Offset);
        while (true)
        {
            var token = Next();
            switch (token.Kind)
            {
                case TemplateTokenKind.End:
                    terminator = null;
                    return list;
                case TemplateTokenKind.Text:
                    list.Nodes.Add(new TextNode(token.Offset, token.Text));
                    continue;
                case TemplateTokenKind.LeftDelimiter:
                    break;
                default:
                    throw Error(token.Offset, $"unexpected {token.Text}");
            }
            SkipSpace();
            var keyword = Current;
            if (keyword.Kind == TemplateTokenKind.Identifier)
            {
                switch (keyword.Text)
                {
                    case "end":
                    case "else":
                        Next();
                        terminator = keyword;
                        return list;
                    case "if":
                        Next();
                        list.Nodes.Add(ParseBranch(BranchKind.If, keyword.Offset));
                        continue;
                    case "with":
                        Next();
                        list.Nodes.Add(ParseBranch(BranchKind.With, keyword.Offset));
                        continue;
                    case "range":
                        Next();
                        list.Nodes.Add(ParseBranch(BranchKind.Range, keyword.Offset));
                        continue;
                    case "define" or "template" or "block" or "break" or "continue":
                        throw Error(keyword.Offset, $"{{{{{keyword.Text}}}}} is not supported in LogQL templates");
                    default:
                        break;
                }
            }
            var pipe = ParsePipe(allowDeclarations: true);
            Expect(TemplateTokenKind.RightDelimiter, "action");
            list.Nodes.Add(new ActionNode(pipe.Offset, pipe));
        }
    }

    private BranchNode ParseBranch(BranchKind kind, int offset)
    {
        var pipe = ParsePipe(allowDeclarations: kind != BranchKind.If, isRange: kind == BranchKind.Range);
        Expect(TemplateTokenKind.RightDelimiter, kind.ToString().ToLowerInvariant());
        var list = ParseList(out var terminator);
        if (terminator is null)
        {
            throw Error(offset, "unexpected EOF");
        }
        ListNode? elseList = null;
        if (terminator.Value.Text == "else")
        {
            SkipSpace();
            var next = Current;
            if (next.Kind == TemplateTokenKind.Identifier && (next.Text == "if" || next.Text == "with"))
            {
                // {{else if x}} is an {{if}} inside the else list that shares the outer {{end}}.
                Next();
                elseList = new ListNode(next.Offset);
                elseList.Nodes.Add(ParseBranch(next.Text == "if" ? BranchKind.If : BranchKind.With, next.Offset));
                return new BranchNode(offset, kind, pipe, list, elseList);
            }
            Expect(TemplateTokenKind.RightDelimiter, "else");
            elseList = ParseList(out terminator);
            if (terminator is null || terminator.Value.Text != "end")
            {
                throw Error(offset, "expected end; found " + (terminator?.Text ?? "EOF"));
            }
        }
        SkipSpace();
        Expect(TemplateTokenKind.RightDelimiter, "end");
        return new BranchNode(offset, kind, pipe, list, elseList);
    }

    private PipeNode ParsePipe(bool allowDeclarations, bool isRange = false)
    {
        SkipSpace();
        var offset = Current.Offset;
        var declarations = new List<string>();
        var isAssign = false;
        if (allowDeclarations && Current.Kind == TemplateTokenKind.Variable && LooksLikeDeclaration())
        {
            while (true)
            {
                declarations.Add(Next().Text);
                SkipSpace();
                if (Current.Kind == TemplateTokenKind.Comma)
                {
                    Next();
                    SkipSpace();
                    continue;
                }
                isAssign = Next().Kind == TemplateTokenKind.Assign;
                break;
            }
        }
        var commands = new List<CommandNode>();
        while (true)
        {
            commands.Add(ParseCommand());
            SkipSpace();
            if (Current.Kind != TemplateTokenKind.Pipe)
            {
                break;
            }
            Next();
        }
        return new PipeNode(offset, declarations, isAssign, isRange, commands);
    }

    private bool LooksLikeDeclaration()
    {
        for (var i = _index; i < _tokens.Count; i++)
        {
            switch (_tokens[i].Kind)
            {
                case TemplateTokenKind.Variable or TemplateTokenKind.Space or TemplateTokenKind.Comma:
                    continue;
                case TemplateTokenKind.Declare or TemplateTokenKind.Assign:
                    return true;
                default:
                    return false;
            }
        }
        return false;
    }

    private CommandNode ParseCommand()
    {
        SkipSpace();
        var offset = Current.Offset;
        var arguments = new List<TemplateNode>();
        while (true)
        {
            SkipSpace();
            var token = Current;
            if (token.Kind is TemplateTokenKind.Pipe or TemplateTokenKind.RightDelimiter or TemplateTokenKind.RightParen or TemplateTokenKind.End)
            {
                break;
            }
            arguments.Add(ParseOperand());
        }
        if (arguments.Count == 0)
        {
            throw Error(offset, "missing value for command");
        }
        return new CommandNode(offset, arguments);
    }

    private TemplateNode ParseOperand()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TemplateTokenKind.Field:
                var fields = new List<string> { token.Text };
                fields.AddRange(ReadFields());
                _fields.AddRange(fields);
                return new FieldNode(token.Offset, null, fields);
            case TemplateTokenKind.Variable:
                return new FieldNode(token.Offset, token.Text, ReadFields());
            case TemplateTokenKind.Dot:
                return new DotNode(token.Offset);
            case TemplateTokenKind.String:
                return new ConstantNode(token.Offset, token.Text);
            case TemplateTokenKind.Char:
                return new ConstantNode(token.Offset, token.Text.Length == 0 ? 0L : (long)char.ConvertToUtf32(token.Text, 0));
            case TemplateTokenKind.Bool:
                return new ConstantNode(token.Offset, token.Text == "true");
            case TemplateTokenKind.Nil:
                return new ConstantNode(token.Offset, null);
            case TemplateTokenKind.Number:
                return new ConstantNode(token.Offset, ParseNumber(token));
            case TemplateTokenKind.Identifier:
                if (!TemplateFunctions.IsDefined(token.Text))
                {
                    throw Error(token.Offset, $"function {Go.GoStrings.Quote(token.Text)} not defined");
                }
                return new FunctionNode(token.Offset, token.Text);
            case TemplateTokenKind.LeftParen:
                var pipe = ParsePipe(allowDeclarations: true);
                Expect(TemplateTokenKind.RightParen, "parenthesized pipeline");
                var chained = ReadFields();
                return chained.Count > 0 ? new ChainNode(token.Offset, pipe, chained) : pipe;
            default:
                throw Error(token.Offset, $"unexpected {Go.GoStrings.Quote(token.Text)} in operand");
        }
    }

    private List<string> ReadFields()
    {
        var fields = new List<string>();
        while (Current.Kind == TemplateTokenKind.Field)
        {
            fields.Add(Next().Text);
        }
        return fields;
    }

    private object ParseNumber(TemplateToken token)
    {
        var text = token.Text.Replace("_", "", StringComparison.Ordinal);
        var negative = text.StartsWith('-');
        var body = text.TrimStart('+', '-');
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(body.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return negative ? -hex : hex;
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }
        if (Go.GoFloats.TryParse(text, out var number, out _))
        {
            return number;
        }
        throw Error(token.Offset, $"bad number syntax: {Go.GoStrings.Quote(token.Text)}");
    }

    private void Expect(TemplateTokenKind kind, string context)
    {
        SkipSpace();
        var token = Next();
        if (token.Kind != kind)
        {
            throw Error(token.Offset, $"unexpected {Go.GoStrings.Quote(token.Text)} in {context}");
        }
    }

    private void SkipSpace()
    {
        while (Current.Kind == TemplateTokenKind.Space)
        {
            _index++;
        }
    }

    private TemplateToken Current => _tokens[_index];

    private TemplateToken Next()
    {
        var token = _tokens[_index];
        if (token.Kind != TemplateTokenKind.End)
        {
            _index++;
        }
        return token;
    }

    private TemplateException Error(int offset, string message) =>
        new($"template: {_name}:{TemplateSource.Line(_text, offset)}: {message}");
}
