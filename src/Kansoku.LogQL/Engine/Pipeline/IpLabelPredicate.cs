using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>addr=ip("10.0.0.0/8")</c> / <c>addr!=ip(...)</c>: an address in the value falls (or not) in the pattern. An
/// entry that already has an error passes, as in Loki (only string filters can drop errors).
/// </summary>
internal sealed class IpLabelPredicate(string name, bool equal, IpPattern pattern) : LabelPredicate
{
    public override bool Test(LabelsBuilder labels)
    {
        if (labels.HasError)
        {
            return true;
        }
        if (!labels.TryGet(name, out var value))
        {
            return false;
        }
        var found = pattern.Filter(Encoding.UTF8.GetBytes(value));
        return equal ? found : !found;
    }

    public override void AddRequiredLabels(List<string> names) => names.Add(name);
}
