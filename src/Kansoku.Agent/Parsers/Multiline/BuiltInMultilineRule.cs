using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Multiline;

/// <summary>
/// Joins stack traces by byte checks on each line (no regex: in <c>auto</c> mode this runs on every line).
/// </summary>
/// <remarks>
/// Continuation lines join the held record: an indented <c>at …</c> frame (Java, .NET, Node.js), <c>Caused by:</c>,
/// <c>Suppressed:</c> and <c>... N more</c> (Java), <c>---&gt; Inner</c> and <c>--- End of …</c> (.NET, also
/// unindented inside a trace); inside a Python traceback, indented lines and the closing <c>XxxError: message</c>;
/// inside a Go panic, tab-indented lines, blank lines, <c>goroutine N [...]:</c>, function lines such as
/// <c>main.main()</c>, <c>created by</c> and <c>exit status</c>.
/// Header lines start a record: <c>Traceback (most recent call last):</c>, <c>panic:</c>, <c>fatal error:</c>,
/// <c>goroutine N [</c>, <c>Unhandled exception.</c>, <c>Exception in thread "…"</c> and exception class lines such as
/// <c>java.lang.IllegalStateException: msg</c> or <c>TypeError: msg</c>. A header directly after a single line that
/// reads as a warning or error (<c>ERROR Request failed</c>, then the exception) joins that line, since loggers print
/// the message first and the exception after it.
/// </remarks>
internal sealed class BuiltInMultilineRule : IMultilineRule
{
    private const int StateNone = 0;
    private const int StateStack = 1;
    private const int StatePython = 2;
    private const int StatePythonEnd = 3;
    private const int StateGo = 4;

    private readonly MultilineLanguages _languages;

    public BuiltInMultilineRule(MultilineLanguages languages)
    {
        _languages = languages;
    }

    public MultilineAction Classify(ReadOnlySpan<byte> line, int pendingLines, ReadOnlySpan<byte> pendingFirstLine, ref int state)
    {
        if (pendingLines > 0 && IsContinuation(line, ref state))
        {
            return MultilineAction.Continue;
        }
        var header = HeaderState(line);
        if (header != StateNone && pendingLines == 1 && state == StateNone
            && SeverityDetector.DetectPrefix(pendingFirstLine) >= Severity.Warn)
        {
            state = header;
            return MultilineAction.Continue;
        }
        state = header;
        return MultilineAction.Start;
    }

    private bool Has(MultilineLanguages language) => (_languages & language) != 0;

    private bool IsContinuation(ReadOnlySpan<byte> line, ref int state)
    {
        var indent = line.IndexOfAnyExcept(" \t"u8);
        if (indent < 0)
        {
            // Blank: part of a Go panic or between chained Python tracebacks.
            return state is StateGo or StatePython or StatePythonEnd;
        }
        var rest = line[indent..];
        if (indent > 0 && rest.StartsWith("at "u8) && Has(MultilineLanguages.Java | MultilineLanguages.DotNet | MultilineLanguages.NodeJs))
        {
            state = state == StateNone ? StateStack : state;
            return true;
        }
        if (Has(MultilineLanguages.Java) && (rest.StartsWith("Caused by: "u8) || rest.StartsWith("Suppressed: "u8)
            || (indent > 0 && rest.StartsWith("... "u8) && rest.Length > 4 && IsDigit(rest[4]))))
        {
            return true;
        }
        // "   --- End of inner exception stack trace ---" is indented; "--- End of stack trace from previous location ---"
        // (an await or rethrow boundary) starts at column 0, between frames.
        if (Has(MultilineLanguages.DotNet) && (indent > 0 || state == StateStack) && (rest.StartsWith("---> "u8) || rest.StartsWith("--- End of "u8)))
        {
            return true;
        }
        if (Has(MultilineLanguages.Python) && state is StatePython or StatePythonEnd)
        {
            return IsPythonContinuation(line, indent, ref state);
        }
        if (Has(MultilineLanguages.Go) && state == StateGo)
        {
            return line[0] == '\t' || line.StartsWith("goroutine "u8) || line.StartsWith("created by "u8)
                || line.StartsWith("exit status "u8) || line.StartsWith("[signal "u8) || IsGoFunctionLine(line);
        }
        return false;
    }

    private static bool IsPythonContinuation(ReadOnlySpan<byte> line, int indent, ref int state)
    {
        if (line.StartsWith("During handling of the above exception"u8) || line.StartsWith("The above exception was the direct cause"u8)
            || line.StartsWith("Traceback (most recent call last):"u8))
        {
            state = StatePython;
            return true;
        }
        if (state != StatePython)
        {
            return false;
        }
        if (indent > 0)
        {
            return true;
        }
        // The closing "ValueError: message" (or a bare exception name) ends the traceback.
        if (ExceptionNameLength(line) > 0)
        {
            state = StatePythonEnd;
            return true;
        }
        return false;
    }

    private int HeaderState(ReadOnlySpan<byte> line)
    {
        if (Has(MultilineLanguages.Python) && line.StartsWith("Traceback (most recent call last):"u8))
        {
            return StatePython;
        }
        if (Has(MultilineLanguages.Go) && (line.StartsWith("panic: "u8) || line.StartsWith("fatal error: "u8)
            || (line.StartsWith("goroutine "u8) && line.Length > 10 && IsDigit(line[10]))))
        {
            return StateGo;
        }
        if ((Has(MultilineLanguages.DotNet) && line.StartsWith("Unhandled exception. "u8))
            || (Has(MultilineLanguages.Java) && line.StartsWith("Exception in thread \""u8)))
        {
            return StateStack;
        }
        var nameLength = ExceptionNameLength(line);
        if (nameLength > 0 && EndsLikeException(line[..nameLength]))
        {
            var qualified = line[..nameLength].Contains((byte)'.');
            if ((qualified && Has(MultilineLanguages.Java | MultilineLanguages.DotNet)) || (!qualified && Has(MultilineLanguages.NodeJs)))
            {
                return StateStack;
            }
        }
        return StateNone;
    }

    /// <summary>
    /// Length of a leading (dotted) identifier followed by ": " or the line's end, as in <c>pkg.FooException: msg</c>;
    /// 0 when the line does not start that way.
    /// </summary>
    private static int ExceptionNameLength(ReadOnlySpan<byte> line)
    {
        var i = 0;
        while (i < line.Length && (IsIdentifierByte(line[i]) || (line[i] == '.' && i > 0)))
        {
            i++;
        }
        if (i == 0 || !IsLetter(line[0]))
        {
            return 0;
        }
        return i == line.Length || (line[i] == ':' && (i + 1 == line.Length || line[i + 1] == ' ')) ? i : 0;
    }

    /// <summary>A frame's function line, <c>main.pick(0x1, ...)</c>: no space before the call's parenthesis.</summary>
    private static bool IsGoFunctionLine(ReadOnlySpan<byte> line)
    {
        var open = line.IndexOf((byte)'(');
        return open > 0 && line[^1] == ')' && line[..open].IndexOfAny((byte)' ', (byte)'\t') < 0;
    }

    private static bool EndsLikeException(ReadOnlySpan<byte> name) =>
        name.EndsWith("Exception"u8) || name.EndsWith("Error"u8) || name.EndsWith("Throwable"u8);

    private static bool IsIdentifierByte(byte b) => IsLetter(b) || IsDigit(b) || b is (byte)'_' or (byte)'$';

    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
