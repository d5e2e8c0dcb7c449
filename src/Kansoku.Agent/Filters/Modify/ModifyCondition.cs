using System.Text.RegularExpressions;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Filters.Modify;

/// <summary>
/// One <c>Condition</c>: <c>Key_exists KEY</c>, <c>Key_does_not_exist KEY</c>, <c>Key_value_equals KEY VALUE</c>,
/// <c>Key_value_does_not_equal KEY VALUE</c>, <c>Key_value_matches KEY REGEX</c>, <c>Key_value_does_not_match KEY REGEX</c>.
/// Keys are record accessors, so <c>$kubernetes['namespace_name']</c> works.
/// </summary>
internal sealed class ModifyCondition
{
    private readonly RecordAccessor _key;
    private readonly ModifyConditionKind _kind;
    private readonly string? _value;
    private readonly Regex? _regex;

    public ModifyCondition(RecordAccessor key, ModifyConditionKind kind, string? value, Regex? regex)
    {
        _key = key;
        _kind = kind;
        _value = value;
        _regex = regex;
    }

    public bool IsMet(LogRecord record, ref char[] buffer)
    {
        var found = _key.TryRead(record, ref buffer, out var value);
        return _kind switch
        {
            ModifyConditionKind.KeyExists => found,
            ModifyConditionKind.KeyDoesNotExist => !found,
            ModifyConditionKind.KeyValueEquals => found && value.SequenceEqual(_value),
            ModifyConditionKind.KeyValueDoesNotEqual => !found || !value.SequenceEqual(_value),
            ModifyConditionKind.KeyValueMatches => found && SafeMatch(value),
            ModifyConditionKind.KeyValueDoesNotMatch => !found || !SafeMatch(value),
            _ => false,
        };
    }

    private bool SafeMatch(ReadOnlySpan<char> value)
    {
        try
        {
            return _regex!.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
