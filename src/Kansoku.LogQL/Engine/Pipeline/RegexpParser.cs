using System.Text.RegularExpressions;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| regexp "(?P&lt;method&gt;\w+) ..."</c>: the named groups of the first match become labels (a group that did not
/// take part gives ""). A line the regex does not match keeps its labels and passes.
/// </summary>
internal sealed class RegexpParser : Stage
{
    private readonly Regex _regex;
    private readonly (int Group, string Name)[] _groups;
    private readonly string[] _extractedNames;

    public RegexpParser(Regex regex, IReadOnlyList<string> names)
    {
        _regex = regex;
        _groups = new (int, string)[names.Count];
        _extractedNames = new string[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var name = LabelKeys.Sanitize(names[i]);
            _groups[i] = (regex.GroupNumberFromName(names[i]), name);
            _extractedNames[i] = name + LokiLabels.ExtractedSuffix;
        }
    }

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        var hints = labels.Hints;
        var match = _regex.Match(LabelValues.FromUtf8Raw(line));
        if (!match.Success)
        {
            return true;
        }
        for (var i = 0; i < _groups.Length; i++)
        {
            var (group, name) = _groups[i];
            if (name.Length == 0)
            {
                continue;
            }
            var key = labels.BaseHas(name) ? _extractedNames[i] : name;
            if (!hints.ShouldExtract(key) || hints.Extracted(key))
            {
                continue;
            }
            labels.Set(key, match.Groups[group].Value);
        }
        return true;
    }
}
