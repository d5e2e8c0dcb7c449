using System.Text;
using Kansoku.LogQL.Engine.Templates;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| label_format dst=src, other="{{.x}}"</c>: renames (the source label goes away) and rendered labels. As in Loki,
/// every template of the stage sees the labels as they were at the stage's first template; a failing template leaves
/// its label unset and sets <c>__error__="TemplateFormatErr"</c>.
/// </summary>
internal sealed class LabelsFormatter : Stage
{
    private readonly Item[] _items;
    private readonly TemplateContext _context;
    private readonly StringBuilder _output = new();
    private readonly bool _usesLine;

    public LabelsFormatter(IReadOnlyList<(string Name, string Source, Template? Template)> items, TimeProvider clock)
    {
        _items = new Item[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            _items[i] = new Item(items[i].Name, items[i].Source, items[i].Template);
            _usesLine |= items[i].Template?.UsesLine ?? false;
        }
        _context = new TemplateContext(clock);
    }

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        var snapshot = false;
        foreach (var item in _items)
        {
            if (item.Template is null)
            {
                if (labels.TryGet(item.Source, out var value))
                {
                    labels.Set(item.Name, value);
                    labels.Delete(item.Source);
                }
                continue;
            }
            if (!snapshot)
            {
                _context.Reset(timestamp, _usesLine ? Encoding.UTF8.GetString(line) : "");
                labels.CopyTo(_context.Labels);
                snapshot = true;
            }
            _output.Clear();
            if (!item.Template.TryExecute(_context, _output, out var error))
            {
                labels.SetError(LokiLabels.TemplateFormatError, error);
                continue;
            }
            labels.Set(item.Name, _output.ToString());
        }
        return true;
    }

    public override void AddRequiredLabels(List<string> names)
    {
        foreach (var item in _items)
        {
            if (item.Template is null)
            {
                names.Add(item.Source);
            }
            else
            {
                names.AddRange(item.Template.Fields);
            }
        }
    }

    private sealed record Item(string Name, string Source, Template? Template);
}
