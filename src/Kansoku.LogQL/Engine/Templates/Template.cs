using System.Text;

namespace Kansoku.LogQL.Engine.Templates;

/// <summary>
/// A parsed Go text/template as Loki runs them (<c>missingkey=zero</c>: a missing label reads as ""). The data is the
/// entry's labels; <c>__line__</c> and <c>__timestamp__</c> give the line and time. Execution errors surface as Go
/// words them, for <c>__error_details__</c>.
/// </summary>
internal sealed class Template
{
    private readonly string _name;
    private readonly string _text;
    private readonly ListNode _root;
    private readonly List<(string Name, object? Value)> _variables = [];

    private Template(string name, string text, ListNode root, IReadOnlyList<string> fields)
    {
        _name = name;
        _text = text;
        _root = root;
        Fields = fields;
        UsesLine = text.Contains("__line__", StringComparison.Ordinal);
        if (root.Nodes is [ActionNode { Pipe: { Declarations.Count: 0, Commands: [{ Arguments: [FieldNode { Variable: null, Fields: [var key] }] }] } }])
        {
            SimpleKey = key;
        }
    }

    /// <summary>The label names the template reads (<c>.name</c>), for Loki's parser hints.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Whether the template calls <c>__line__</c>, so the line must be decoded for it.</summary>
    public bool UsesLine { get; }

    /// <summary>The label of a template that is exactly <c>{{.label}}</c>, which renders without executing.</summary>
    public string? SimpleKey { get; }

    /// <exception cref="TemplateException">The text is not a valid template.</exception>
    public static Template Parse(string name, string text)
    {
        var root = TemplateParser.Parse(name, text, out var fields);
        return new Template(name, text, root, fields);
    }

    /// <summary>Renders into <paramref name="output"/>; false with Go's message when execution fails.</summary>
    public bool TryExecute(TemplateContext context, StringBuilder output, out string? error)
    {
        _variables.Clear();
        _variables.Add(("$", context.Labels));
        try
        {
            WalkList(context, _root, context.Labels, output);
            error = null;
            return true;
        }
        catch (TemplateExecutionException e)
        {
            error = e.Message;
            return false;
        }
    }

    private void WalkList(TemplateContext context, ListNode list, object? dot, StringBuilder output)
    {
        foreach (var node in list.Nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    var value = EvalPipe(context, action.Pipe, dot);
                    if (action.Pipe.Declarations.Count == 0)
                    {
                        output.Append(TemplateValues.Print(value));
                    }
                    break;
                case BranchNode branch:
                    WalkBranch(context, branch, dot, output);
                    break;
                default:
                    throw Fail(node, "unknown node");
            }
        }
    }

    private void WalkBranch(TemplateContext context, BranchNode branch, object? dot, StringBuilder output)
    {
        var mark = _variables.Count;
        var value = EvalPipe(context, branch.Pipe, dot);
        switch (branch.Kind)
        {
            case BranchKind.If when TemplateValues.IsTrue(value):
                WalkList(context, branch.List, dot, output);
                break;
            case BranchKind.With when TemplateValues.IsTrue(value):
                WalkList(context, branch.List, value, output);
                break;
            case BranchKind.Range:
                if (!WalkRange(context, branch, value, output) && branch.ElseList is not null)
                {
                    WalkList(context, branch.ElseList, dot, output);
                }
                break;
            default:
                if (branch.ElseList is not null)
                {
                    WalkList(context, branch.ElseList, dot, output);
                }
                break;
        }
        _variables.RemoveRange(mark, _variables.Count - mark);
    }

    private bool WalkRange(TemplateContext context, BranchNode branch, object? value, StringBuilder output)
    {
        var declarations = branch.Pipe.Declarations;
        var items = new List<(object? Key, object? Value)>();
        switch (value)
        {
            case null:
                break;
            case IList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    items.Add(((long)i, list[i]));
                }
                break;
            case IDictionary<string, object?> map:
                foreach (var key in map.Keys.Order(StringComparer.Ordinal))
                {
                    items.Add((key, map[key]));
                }
                break;
            case long count:
                for (var i = 0L; i < count; i++)
                {
                    items.Add((i, i));
                }
                break;
            default:
                throw Fail(branch, $"range can't iterate over {TemplateValues.Sprint(value)}");
        }
        var mark = _variables.Count;
        foreach (var (key, item) in items)
        {
            if (declarations.Count == 1)
            {
                SetVariable(declarations[0], item, declare: true);
            }
            else if (declarations.Count == 2)
            {
                SetVariable(declarations[0], key, declare: true);
                SetVariable(declarations[1], item, declare: true);
            }
            WalkList(context, branch.List, item, output);
            _variables.RemoveRange(mark, _variables.Count - mark);
        }
        return items.Count > 0;
    }

    private object? EvalPipe(TemplateContext context, PipeNode pipe, object? dot)
    {
        object? value = null;
        var hasValue = false;
        foreach (var command in pipe.Commands)
        {
            value = EvalCommand(context, command, dot, value, hasValue);
            hasValue = true;
        }
        // A range's declarations bind per element, not to the range expression itself.
        if (pipe.Declarations.Count > 0 && !pipe.IsRange)
        {
            foreach (var name in pipe.Declarations)
            {
                SetVariable(name, value, declare: !pipe.IsAssign);
            }
        }
        return value;
    }

    private object? EvalCommand(TemplateContext context, CommandNode command, object? dot, object? piped, bool hasPiped)
    {
        var first = command.Arguments[0];
        if (first is FunctionNode function)
        {
            return Call(context, function, command.Arguments, dot, piped, hasPiped);
        }
        if (command.Arguments.Count > 1 || hasPiped)
        {
            throw Fail(first, $"can't give argument to non-function {Describe(first)}");
        }
        return EvalArg(context, first, dot);
    }

    private object? Call(TemplateContext context, FunctionNode function, IReadOnlyList<TemplateNode> arguments, object? dot, object? piped, bool hasPiped)
    {
        var count = arguments.Count - 1 + (hasPiped ? 1 : 0);
        if (function.Name is "and" or "or")
        {
            // Go evaluates and/or lazily: the first falsy (and) or truthy (or) argument is the result.
            object? result = null;
            for (var i = 0; i < count; i++)
            {
                result = i < arguments.Count - 1 ? EvalArg(context, arguments[i + 1], dot) : piped;
                if (TemplateValues.IsTrue(result) == (function.Name == "or"))
                {
                    return result;
                }
            }
            return count == 0 ? throw Fail(function, $"wrong number of args for {function.Name}: want at least 1 got 0") : result;
        }
        var args = new object?[count];
        for (var i = 0; i < arguments.Count - 1; i++)
        {
            args[i] = EvalArg(context, arguments[i + 1], dot);
        }
        if (hasPiped)
        {
            args[^1] = piped;
        }
        try
        {
            return TemplateFunctions.Get(function.Name)(context, args);
        }
        catch (TemplateException e)
        {
            throw Fail(function, e.Message);
        }
    }

    private object? EvalArg(TemplateContext context, TemplateNode node, object? dot) => node switch
    {
        ConstantNode constant => constant.Value,
        DotNode => dot,
        FieldNode { Variable: null } field => EvalFields(field, dot, field.Fields),
        FieldNode field => EvalFields(field, GetVariable(field, field.Variable), field.Fields),
        PipeNode pipe => EvalPipe(context, pipe, dot),
        ChainNode chain => EvalFields(chain, EvalArg(context, chain.Operand, dot), chain.Fields),
        FunctionNode function => Call(context, function, [function], dot, null, hasPiped: false),
        _ => throw Fail(node, "can't evaluate command"),
    };

    private object? EvalFields(TemplateNode node, object? receiver, IReadOnlyList<string> fields)
    {
        var current = receiver;
        foreach (var field in fields)
        {
            current = current switch
            {
                // missingkey=zero: an absent label is the zero string.
                Dictionary<string, string> labels => labels.TryGetValue(field, out var value) ? value : "",
                IDictionary<string, object?> map => map.TryGetValue(field, out var value) ? value : null,
                null => throw Fail(node, $"nil pointer evaluating interface {{}}.{field}"),
                _ => throw Fail(node, $"can't evaluate field {field} in type {TemplateValues.TypeName(current)}"),
            };
        }
        return current;
    }

    private object? GetVariable(TemplateNode node, string name)
    {
        for (var i = _variables.Count - 1; i >= 0; i--)
        {
            if (_variables[i].Name == name)
            {
                return _variables[i].Value;
            }
        }
        throw Fail(node, $"undefined variable: {name}");
    }

    private void SetVariable(string name, object? value, bool declare)
    {
        if (!declare)
        {
            for (var i = _variables.Count - 1; i >= 0; i--)
            {
                if (_variables[i].Name == name)
                {
                    _variables[i] = (name, value);
                    return;
                }
            }
        }
        _variables.Add((name, value));
    }

    private static string Describe(TemplateNode node) => node switch
    {
        FieldNode { Variable: null } field => "." + string.Join('.', field.Fields),
        FieldNode field => field.Variable + string.Concat(field.Fields.Select(f => "." + f)),
        FunctionNode function => function.Name,
        ConstantNode constant => TemplateValues.Sprint(constant.Value),
        DotNode => ".",
        _ => "",
    };

    private TemplateExecutionException Fail(TemplateNode node, string message) =>
        new($"template: {_name}:{TemplateSource.Line(_text, node.Offset)}:{TemplateSource.Column(_text, node.Offset)}: " +
            $"executing {Go.GoStrings.Quote(_name)} at <{Describe(node)}>: {message}");

    private sealed class TemplateExecutionException(string message) : Exception(message);
}
