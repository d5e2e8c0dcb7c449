using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Core.Labels;
using Kansoku.Scrape.Relabel;

namespace Kansoku.Scrape.Tests.Relabel;

public sealed class RelabelerProperties
{
    private static LabelSet Labels(string[] names)
    {
        var labels = new List<Label>();
        for (var i = 0; i < names.Length; i++)
        {
            labels.Add(new Label("l_" + new string(Array.FindAll(names[i].ToCharArray(), char.IsAsciiLetterOrDigit)), "v" + i));
        }
        return LabelSet.From(labels);
    }

    [Property]
    public Property Labeldrop_and_labelkeep_with_one_regex_split_the_names(NonNull<string>[] names)
    {
        var labels = Labels(Array.ConvertAll(names, n => n.Get));
        var regex = RelabelRegex.Create("l_[a-m].*");
        var dropped = Relabeler.Process(labels, [new RelabelConfig { Action = RelabelAction.LabelDrop, Regex = regex }])!;
        var kept = Relabeler.Process(labels, [new RelabelConfig { Action = RelabelAction.LabelKeep, Regex = regex }])!;
        var union = LabelSet.From([.. dropped.AsSpan().ToArray(), .. kept.AsSpan().ToArray()]);
        return (union.Equals(labels) && dropped.Count + kept.Count == labels.Count).ToProperty();
    }

    [Property]
    public Property Hashmod_is_below_the_modulus_and_stable(NonNull<string> value, PositiveInt modulus)
    {
        var first = Relabeler.HashMod(value.Get, (ulong)modulus.Get);
        return (first < (ulong)modulus.Get && first == Relabeler.HashMod(value.Get, (ulong)modulus.Get)).ToProperty();
    }
}
