using Kansoku.Agent.Config;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Filters.Modify;

/// <summary>
/// Fluent Bit's <c>modify</c>: when every <c>Condition</c> holds, applies Set, Add, Remove, Remove_wildcard,
/// Remove_regex, Rename, Hard_rename, Copy and Hard_copy in the order written. Rules change parsed fields (keys may
/// be record accessors for nested fields); <c>Remove log</c> stops the line being written beside them.
/// Conditions supported: Key_exists, Key_does_not_exist, Key_value_equals, Key_value_does_not_equal,
/// Key_value_matches, Key_value_does_not_match.
/// </summary>
internal sealed class ModifyFilter : IRecordFilter
{
    private readonly ModifyCondition[] _conditions;
    private readonly ModifyRule[] _rules;
    private char[] _buffer = new char[256];

    public ModifyFilter(IReadOnlyList<ModifyCondition> conditions, IReadOnlyList<ModifyRule> rules)
    {
        _conditions = [.. conditions];
        _rules = [.. rules];
    }

    public static ModifyFilter From(ComponentSpec spec)
    {
        var conditions = new List<ModifyCondition>();
        var rules = new List<ModifyRule>();
        foreach (var property in spec.Properties)
        {
            var key = property.Key.ToLowerInvariant();
            if (key == "condition")
            {
                conditions.Add(Condition(property));
                continue;
            }
            ModifyRule? rule = key switch
            {
                "set" => Set(property, onlyIfAbsent: false),
                "add" => Set(property, onlyIfAbsent: true),
                "remove" => new ModifyRule.RemoveKey(ConfigValues.Accessor(property, property.Value.Trim())),
                "remove_wildcard" => ModifyRule.RemoveMatching.Wildcard(property.Value.Trim()),
                "remove_regex" => ModifyRule.RemoveMatching.Regex(ConfigValues.Regex(property, property.Value.Trim())),
                "rename" => Move(property, move: true, overwrite: false),
                "hard_rename" => Move(property, move: true, overwrite: true),
                "copy" => Move(property, move: false, overwrite: false),
                "hard_copy" => Move(property, move: false, overwrite: true),
                _ => null,
            };
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }
        foreach (var name in new[] { "Condition", "Set", "Add", "Remove", "Remove_wildcard", "Remove_regex", "Rename", "Hard_rename", "Copy", "Hard_copy" })
        {
            spec.MarkUsed(name);
        }
        if (rules.Count == 0)
        {
            throw new ConfigException(spec.Location, null, "filter 'modify' has no rules (Set, Add, Remove, Rename, Copy…)");
        }
        return new ModifyFilter(conditions, rules);
    }

    public bool Apply(LogRecord record)
    {
        foreach (var condition in _conditions)
        {
            if (!condition.IsMet(record, ref _buffer))
            {
                return true;
            }
        }
        foreach (var rule in _rules)
        {
            rule.Apply(record);
        }
        return true;
    }

    private static ModifyRule.SetValue Set(ConfigProperty property, bool onlyIfAbsent)
    {
        var (key, value) = ConfigValues.SplitKeyValue(property);
        return new ModifyRule.SetValue(ConfigValues.Accessor(property, key), value, onlyIfAbsent);
    }

    private static ModifyRule.MoveOrCopy Move(ConfigProperty property, bool move, bool overwrite)
    {
        var words = ConfigValues.SplitTwo(property);
        return new ModifyRule.MoveOrCopy(ConfigValues.Accessor(property, words[0]), ConfigValues.Accessor(property, words[1]), move, overwrite);
    }

    private static ModifyCondition Condition(ConfigProperty property)
    {
        var (name, rest) = ConfigValues.SplitKeyValue(property);
        var kind = name.ToLowerInvariant() switch
        {
            "key_exists" => ModifyConditionKind.KeyExists,
            "key_does_not_exist" => ModifyConditionKind.KeyDoesNotExist,
            "key_value_equals" => ModifyConditionKind.KeyValueEquals,
            "key_value_does_not_equal" => ModifyConditionKind.KeyValueDoesNotEqual,
            "key_value_matches" => ModifyConditionKind.KeyValueMatches,
            "key_value_does_not_match" => ModifyConditionKind.KeyValueDoesNotMatch,
            _ => throw new ConfigException(property.Location, property.Key,
                $"unsupported condition '{name}' (supported: Key_exists, Key_does_not_exist, Key_value_equals, "
                + "Key_value_does_not_equal, Key_value_matches, Key_value_does_not_match)"),
        };
        if (kind is ModifyConditionKind.KeyExists or ModifyConditionKind.KeyDoesNotExist)
        {
            return new ModifyCondition(ConfigValues.Accessor(property, rest), kind, null, null);
        }
        var (key, value) = ConfigValues.SplitKeyValue(property with { Value = rest });
        var regex = kind is ModifyConditionKind.KeyValueMatches or ModifyConditionKind.KeyValueDoesNotMatch
            ? ConfigValues.Regex(property, value)
            : null;
        return new ModifyCondition(ConfigValues.Accessor(property, key), kind, value, regex);
    }
}
