using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Filters.Modify;

/// <summary>One rule of the <c>modify</c> filter, applied in the order written.</summary>
internal abstract class ModifyRule
{
    public abstract void Apply(LogRecord record);

    /// <summary><c>Set KEY VALUE</c> (always) and <c>Add KEY VALUE</c> (only when KEY is absent).</summary>
    public sealed class SetValue(RecordAccessor key, string value, bool onlyIfAbsent) : ModifyRule
    {
        public override void Apply(LogRecord record)
        {
            if (!onlyIfAbsent || !key.Exists(record))
            {
                key.Set(record, JsonValue.Create(value));
            }
        }
    }

    /// <summary><c>Remove KEY</c>.</summary>
    public sealed class RemoveKey(RecordAccessor key) : ModifyRule
    {
        public override void Apply(LogRecord record) => key.Remove(record);
    }

    /// <summary><c>Remove_wildcard PREFIX*</c> and <c>Remove_regex REGEX</c>: removes matching top-level fields.</summary>
    public sealed class RemoveMatching(Func<string, bool> matches) : ModifyRule
    {
        public override void Apply(LogRecord record)
        {
            if (!record.HasFields)
            {
                return;
            }
            var fields = record.Fields;
            List<string>? doomed = null;
            foreach (var (name, _) in fields)
            {
                if (matches(name))
                {
                    (doomed ??= []).Add(name);
                }
            }
            if (doomed is not null)
            {
                foreach (var name in doomed)
                {
                    fields.Remove(name);
                }
            }
        }

        public static RemoveMatching Wildcard(string pattern)
        {
            var glob = pattern.EndsWith('*') || Glob.IsPattern(pattern) ? pattern : pattern + "*";
            return new RemoveMatching(name => Glob.Matches(glob, name));
        }

        public static RemoveMatching Regex(Regex regex) => new(name => regex.IsMatch(name));
    }

    /// <summary>
    /// <c>Rename</c>/<c>Hard_rename</c> (move) and <c>Copy</c>/<c>Hard_copy</c>: the soft forms leave an existing
    /// destination alone. The source may be a virtual key: <c>Rename log message</c> moves the line into a field.
    /// </summary>
    public sealed class MoveOrCopy(RecordAccessor from, RecordAccessor to, bool move, bool overwrite) : ModifyRule
    {
        public override void Apply(LogRecord record)
        {
            if (!overwrite && to.Exists(record))
            {
                return;
            }
            var value = from.GetNode(record);
            if (value is null)
            {
                return;
            }
            if (move)
            {
                from.Remove(record);
            }
            to.Set(record, value);
        }
    }
}
