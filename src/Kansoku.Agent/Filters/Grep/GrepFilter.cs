using System.Text.RegularExpressions;
using Kansoku.Agent.Config;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Filters.Grep;

/// <summary>
/// Fluent Bit's <c>grep</c>: keeps records whose keys match <c>Regex KEY REGEX</c> and drops those matching
/// <c>Exclude KEY REGEX</c>. A missing key matches nothing. With <c>Logical_Op and|or</c> the rules combine as
/// all/any; like Fluent Bit, those operators take Regex rules or Exclude rules, not both.
/// </summary>
internal sealed class GrepFilter : IRecordFilter
{
    private readonly GrepRule[] _rules;
    private readonly GrepLogicalOp _op;
    private char[] _buffer = new char[256];

    public GrepFilter(IReadOnlyList<GrepRule> rules, GrepLogicalOp op)
    {
        _rules = [.. rules];
        _op = op;
    }

    public static GrepFilter From(ComponentSpec spec)
    {
        var rules = new List<GrepRule>();
        foreach (var property in spec.Properties)
        {
            var exclude = string.Equals(property.Key, "Exclude", StringComparison.OrdinalIgnoreCase);
            if (!exclude && !string.Equals(property.Key, "Regex", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var (key, pattern) = ConfigValues.SplitKeyValue(property);
            rules.Add(new GrepRule(ConfigValues.Accessor(property, key), ConfigValues.Regex(property, pattern), exclude));
        }
        spec.MarkUsed("Regex");
        spec.MarkUsed("Exclude");
        if (rules.Count == 0)
        {
            throw new ConfigException(spec.Location, null, "filter 'grep' needs at least one 'Regex' or 'Exclude'");
        }
        var opProperty = spec.Find("Logical_Op");
        var op = opProperty?.Value.Trim().ToLowerInvariant() switch
        {
            null or "legacy" => GrepLogicalOp.Legacy,
            "and" => GrepLogicalOp.And,
            "or" => GrepLogicalOp.Or,
            _ => throw new ConfigException(opProperty.Location, opProperty.Key, $"expected and, or or legacy, got '{opProperty.Value}'"),
        };
        if (op != GrepLogicalOp.Legacy && rules.Any(r => r.Exclude) && rules.Any(r => !r.Exclude))
        {
            throw new ConfigException(opProperty!.Location, opProperty.Key, "Logical_Op and/or cannot mix 'Regex' and 'Exclude' rules");
        }
        return new GrepFilter(rules, op);
    }

    public bool Apply(LogRecord record)
    {
        switch (_op)
        {
            case GrepLogicalOp.Legacy:
                foreach (var rule in _rules)
                {
                    if (Matches(rule, record) == rule.Exclude)
                    {
                        return false;
                    }
                }
                return true;
            case GrepLogicalOp.And:
                foreach (var rule in _rules)
                {
                    if (!Matches(rule, record))
                    {
                        // Not every rule matched: a Regex set does not keep the record, an Exclude set does not drop it.
                        return _rules[0].Exclude;
                    }
                }
                return !_rules[0].Exclude;
            default:
                foreach (var rule in _rules)
                {
                    if (Matches(rule, record))
                    {
                        return !rule.Exclude;
                    }
                }
                return _rules[0].Exclude;
        }
    }

    private bool Matches(GrepRule rule, LogRecord record)
    {
        if (!rule.Key.TryRead(record, ref _buffer, out var value))
        {
            return false;
        }
        try
        {
            return rule.Pattern.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            // A value the pattern cannot decide within the timeout counts as not matching, like a missing key.
            return false;
        }
    }
}
