using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Kansoku.Agent.Parsers.Multiline;

/// <summary>
/// Fluent Bit's regex multiline parser: rules <c>(state, regex, next state)</c>. A line matching a rule of the held
/// record's state joins it and moves to the rule's next state; otherwise a line matching a <c>start_state</c> rule
/// starts a new record; any other line is a record of its own.
/// </summary>
internal sealed class RegexMultilineRule : IMultilineRule
{
    /// <summary>The state number of <c>start_state</c>; 0 means "nothing held".</summary>
    public const int StartState = 1;

    private readonly Rule[] _rules;

    public RegexMultilineRule(IReadOnlyList<Rule> rules)
    {
        _rules = [.. rules];
    }

    public MultilineAction Classify(ReadOnlySpan<byte> line, int pendingLines, ReadOnlySpan<byte> pendingFirstLine, ref int state)
    {
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(line.Length));
        try
        {
            var text = chars.AsSpan(0, Encoding.UTF8.GetChars(line, chars));
            if (pendingLines > 0 && TryMatch(text, state, ref state))
            {
                return MultilineAction.Continue;
            }
            if (TryMatch(text, StartState, ref state))
            {
                return MultilineAction.Start;
            }
            state = 0;
            return MultilineAction.Single;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private bool TryMatch(ReadOnlySpan<char> text, int fromState, ref int state)
    {
        foreach (var rule in _rules)
        {
            if (Array.IndexOf(rule.FromStates, fromState) < 0)
            {
                continue;
            }
            bool matched;
            try
            {
                matched = rule.Regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                matched = false;
            }
            if (matched)
            {
                state = rule.NextState;
                return true;
            }
        }
        return false;
    }

    /// <summary>One rule: the states it applies in, its pattern and the state a matching line moves to.</summary>
    internal sealed record Rule(int[] FromStates, Regex Regex, int NextState);
}
