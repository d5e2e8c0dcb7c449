using System.Text.Json.Nodes;
using Kansoku.Agent.Config;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Filters.RecordModifier;

/// <summary>
/// Fluent Bit's <c>record_modifier</c>: <c>Record KEY VALUE</c> sets fields (values expand <c>${HOSTNAME}</c> and
/// <c>${ENV_VAR}</c> once, at startup), <c>Remove_key KEY</c> removes them, and <c>Allowlist_key</c> (alias
/// <c>Whitelist_key</c>) keeps only the listed keys; <c>log</c> not listed means the line is not written.
/// </summary>
internal sealed class RecordModifierFilter : IRecordFilter
{
    private readonly (string Key, string Value)[] _records;
    private readonly string[] _removeKeys;
    private readonly HashSet<string>? _allowKeys;

    public RecordModifierFilter(IReadOnlyList<(string Key, string Value)> records, IReadOnlyList<string> removeKeys,
        IReadOnlyCollection<string>? allowKeys)
    {
        _records = [.. records];
        _removeKeys = [.. removeKeys];
        _allowKeys = allowKeys is null ? null : new HashSet<string>(allowKeys, StringComparer.Ordinal);
    }

    public static RecordModifierFilter From(ComponentSpec spec) => From(spec, Environment.GetEnvironmentVariable);

    public static RecordModifierFilter From(ComponentSpec spec, Func<string, string?> getEnv)
    {
        var records = spec.FindAll("Record")
            .Select(p => ConfigValues.SplitKeyValue(p))
            .Select(kv => (kv.Key, ConfigValues.ExpandEnvironment(kv.Value, getEnv)))
            .ToList();
        var removeKeys = spec.FindAll("Remove_key").Select(p => p.Value.Trim()).ToList();
        var allow = spec.FindAll("Allowlist_key").Concat(spec.FindAll("Whitelist_key")).Select(p => p.Value.Trim()).ToList();
        if (records.Count == 0 && removeKeys.Count == 0 && allow.Count == 0)
        {
            throw new ConfigException(spec.Location, null, "filter 'record_modifier' needs 'Record', 'Remove_key' or 'Allowlist_key'");
        }
        return new RecordModifierFilter(records, removeKeys, allow.Count == 0 ? null : allow);
    }

    public bool Apply(LogRecord record)
    {
        if (_allowKeys is not null)
        {
            if (record.HasFields)
            {
                var fields = record.Fields;
                List<string>? doomed = null;
                foreach (var (name, _) in fields)
                {
                    if (!_allowKeys.Contains(name))
                    {
                        (doomed ??= []).Add(name);
                    }
                }
                doomed?.ForEach(name => fields.Remove(name));
            }
            if (!_allowKeys.Contains("log"))
            {
                record.KeepLog = false;
            }
        }
        foreach (var key in _removeKeys)
        {
            if (key == "log")
            {
                record.KeepLog = false;
            }
            else if (record.HasFields)
            {
                record.Fields.Remove(key);
            }
        }
        if (_records.Length > 0)
        {
            var fields = record.Fields;
            foreach (var (key, value) in _records)
            {
                fields[key] = JsonValue.Create(value);
            }
        }
        return true;
    }
}
