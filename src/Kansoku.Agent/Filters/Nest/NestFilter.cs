using System.Text.Json.Nodes;
using Kansoku.Agent.Config;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Filters.Nest;

/// <summary>
/// Fluent Bit's <c>nest</c>. <c>Operation nest</c> moves the top-level fields matching any <c>Wildcard</c> under
/// <c>Nest_under</c> (merging into an object already there); <c>Operation lift</c> moves the fields of the object at
/// <c>Nested_under</c> up and removes it. <c>Add_prefix</c> / <c>Remove_prefix</c> rename the moved keys.
/// Works on parsed fields; a record without fields is left as it is.
/// </summary>
internal sealed class NestFilter : IRecordFilter
{
    private readonly NestOperation _operation;
    private readonly string[] _wildcards;
    private readonly string _key;
    private readonly string? _addPrefix;
    private readonly string? _removePrefix;

    public NestFilter(NestOperation operation, IReadOnlyList<string> wildcards, string key, string? addPrefix, string? removePrefix)
    {
        _operation = operation;
        _wildcards = [.. wildcards];
        _key = key;
        _addPrefix = addPrefix;
        _removePrefix = removePrefix;
    }

    public static NestFilter From(ComponentSpec spec)
    {
        var operationProperty = spec.Find("Operation")
            ?? throw new ConfigException(spec.Location, "Operation", "filter 'nest' needs 'Operation nest' or 'Operation lift'");
        var operation = operationProperty.Value.Trim().ToLowerInvariant() switch
        {
            "nest" => NestOperation.Nest,
            "lift" => NestOperation.Lift,
            _ => throw new ConfigException(operationProperty.Location, operationProperty.Key, $"expected nest or lift, got '{operationProperty.Value}'"),
        };
        var wildcards = spec.FindAll("Wildcard").Select(p => p.Value.Trim()).ToList();
        var addPrefix = spec.Get("Add_prefix")?.Trim();
        var removePrefix = spec.Get("Remove_prefix")?.Trim();
        if (operation == NestOperation.Nest)
        {
            if (wildcards.Count == 0)
            {
                throw new ConfigException(spec.Location, "Wildcard", "Operation nest needs at least one 'Wildcard'");
            }
            return new NestFilter(operation, wildcards, spec.GetRequired("Nest_under").Trim(), addPrefix, removePrefix);
        }
        return new NestFilter(operation, wildcards, spec.GetRequired("Nested_under").Trim(), addPrefix, removePrefix);
    }

    public bool Apply(LogRecord record)
    {
        if (!record.HasFields)
        {
            return true;
        }
        if (_operation == NestOperation.Nest)
        {
            Nest(record.Fields);
        }
        else
        {
            Lift(record.Fields);
        }
        return true;
    }

    private void Nest(JsonObject fields)
    {
        List<string>? moving = null;
        foreach (var (name, _) in fields)
        {
            if (name != _key && MatchesWildcard(name))
            {
                (moving ??= []).Add(name);
            }
        }
        if (moving is null)
        {
            return;
        }
        if (fields[_key] is not JsonObject target)
        {
            target = new JsonObject();
            fields[_key] = target;
        }
        foreach (var name in moving)
        {
            var value = fields[name];
            fields.Remove(name);
            target[Rename(name)] = value;
        }
    }

    private void Lift(JsonObject fields)
    {
        if (fields[_key] is not JsonObject nested)
        {
            return;
        }
        fields.Remove(_key);
        foreach (var (name, value) in nested.ToList())
        {
            nested.Remove(name);
            fields[Rename(name)] = value;
        }
    }

    private bool MatchesWildcard(string name)
    {
        foreach (var wildcard in _wildcards)
        {
            if (Glob.Matches(wildcard, name))
            {
                return true;
            }
        }
        return false;
    }

    private string Rename(string name)
    {
        if (_removePrefix is not null && name.StartsWith(_removePrefix, StringComparison.Ordinal))
        {
            name = name[_removePrefix.Length..];
        }
        return _addPrefix is null ? name : _addPrefix + name;
    }
}
