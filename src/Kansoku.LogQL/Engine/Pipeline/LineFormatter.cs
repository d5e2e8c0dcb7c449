using System.Text;
using Kansoku.LogQL.Engine.Templates;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| line_format "{{.a}} {{.b | ToUpper}}"</c>: the rendered template becomes the line. A template that fails keeps
/// the line and sets <c>__error__="TemplateFormatErr"</c> with Go's message as details.
/// </summary>
internal sealed class LineFormatter(Template template, TimeProvider clock) : Stage
{
    private readonly TemplateContext _context = new(clock);
    private readonly StringBuilder _output = new();
    private readonly Utf8Output _line = new();

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        if (template.SimpleKey is { } key)
        {
            line = labels.TryGet(key, out var value) ? _line.Encode(value) : [];
            return true;
        }
        _context.Reset(timestamp, template.UsesLine ? Encoding.UTF8.GetString(line) : "");
        labels.CopyTo(_context.Labels);
        _output.Clear();
        if (!template.TryExecute(_context, _output, out var error))
        {
            labels.SetError(LokiLabels.TemplateFormatError, error);
            return true;
        }
        line = _line.Encode(_output);
        return true;
    }

    public override void AddRequiredLabels(List<string> names) => names.AddRange(template.Fields);
}
