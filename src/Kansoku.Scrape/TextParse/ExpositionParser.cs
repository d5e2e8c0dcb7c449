using System.Diagnostics.CodeAnalysis;
using Kansoku.Core.Labels;

namespace Kansoku.Scrape.TextParse;

/// <summary>
/// What the two text parsers share: the body, the current entry as positions in it, label building and errors. A
/// subclass reads one line per <see cref="Next"/> and fills the fields; nothing here allocates until a caller asks for
/// labels or an exemplar.
/// </summary>
internal abstract class ExpositionParser : IExpositionParser
{
    private readonly ReadOnlyMemory<byte> _body;
    private byte[] _familyScratch = [];
    private byte[] _textScratch = [];
    private StringCache? _strings;
    private StringCache? _canonicalFloats;

    private protected ExpositionParser(ReadOnlyMemory<byte> body) => _body = body;

    private protected ReadOnlySpan<byte> Body => _body.Span;

    /// <summary>Where the next line starts.</summary>
    private protected int _position;

    private protected LabelToken[] _labels = new LabelToken[16];
    private protected int _labelCount;
    private protected ByteToken _metricName = ByteToken.None;
    private protected int _seriesStart;
    private protected int _seriesEnd;
    private protected double _value;
    private protected long? _timestampMs;

    /// <summary>Which label of the current series holds a float to write in canonical form (<c>le</c> or <c>quantile</c>).</summary>
    private protected FloatLabel _floatLabel;

    private protected ByteToken _family = ByteToken.None;
    private protected ByteToken _text = ByteToken.None;
    private protected MetricType _type;

    public abstract ExpositionEntry Next();

    /// <summary>Whether <c>\"</c> is an escape in help texts (OpenMetrics) or two bytes as written (the text format).</summary>
    private protected abstract bool HelpUnescapesQuotes { get; }

    public ReadOnlySpan<byte> MetricFamily => Unescaped(_family, quotes: true, ref _familyScratch);

    public ReadOnlySpan<byte> HelpText => Unescaped(_text, HelpUnescapesQuotes, ref _textScratch);

    public MetricType Type => _type;

    public ReadOnlySpan<byte> Unit => _text.IsPresent ? _text.Of(Body) : default;

    public ReadOnlySpan<byte> Series => Body[_seriesStart.._seriesEnd];

    public double Value => _value;

    public long? TimestampMs => _timestampMs;

    public virtual long? CreatedTimestampMs => null;

    public virtual bool TryGetExemplar(out Exemplar exemplar)
    {
        exemplar = default;
        return false;
    }

    public LabelSet GetLabels()
    {
        var body = Body;
        var labels = new Label[_labelCount + 1];
        labels[0] = new Label("__name__", Text(body, _metricName));
        for (var i = 0; i < _labelCount; i++)
        {
            var token = _labels[i];
            var name = Text(body, token.Name);
            labels[i + 1] = new Label(name, LabelValue(body, name, token.Value));
        }
        return LabelSet.From(labels);
    }

    private string Text(ReadOnlySpan<byte> body, ByteToken token) => token.Escaped
        ? ExpositionSyntax.Decode(body, token, quotes: true)
        : (_strings ??= new StringCache(canonicalFloats: false)).Get(token.Of(body));

    private string LabelValue(ReadOnlySpan<byte> body, string name, ByteToken value)
    {
        var canonical = _floatLabel switch
        {
            FloatLabel.Le => name == "le",
            FloatLabel.Quantile => name == "quantile",
            _ => false,
        };
        return canonical && !value.Escaped
            ? (_canonicalFloats ??= new StringCache(canonicalFloats: true)).Get(value.Of(body))
            : Text(body, value);
    }

    /// <summary>Builds a label set from tokens (exemplars), with no metric name.</summary>
    private protected LabelSet BuildLabels(ReadOnlySpan<LabelToken> tokens)
    {
        var body = Body;
        var labels = new Label[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            labels[i] = new Label(Text(body, tokens[i].Name), Text(body, tokens[i].Value));
        }
        return LabelSet.From(labels);
    }

    private ReadOnlySpan<byte> Unescaped(ByteToken token, bool quotes, ref byte[] scratch)
    {
        if (!token.IsPresent)
        {
            return default;
        }
        var text = token.Of(Body);
        if (!token.Escaped)
        {
            return text;
        }
        if (scratch.Length < text.Length)
        {
            scratch = new byte[Math.Max(text.Length, 256)];
        }
        return scratch.AsSpan(0, ExpositionSyntax.Unescape(text, scratch, quotes));
    }

    /// <summary>Reads a label list after the <c>{</c> at <paramref name="position"/>, throwing at the fault.</summary>
    private protected int ReadLabels(ReadOnlySpan<byte> body, int position, bool openMetrics)
    {
        var end = LabelReader.Read(body, position, openMetrics, ref _labels, ref _labelCount, ref _metricName, out var error);
        if (error is not null)
        {
            Fail(end, error);
        }
        return end;
    }

    [DoesNotReturn]
    private protected void Fail(int position, string message) => throw Error(Body, position, message);

    /// <summary>
    /// The error with the 1-based line and column (in bytes) of <paramref name="position"/>, counted only now that it is
    /// needed, so the reading itself keeps no line count.
    /// </summary>
    internal static ExpositionFormatException Error(ReadOnlySpan<byte> body, int position, string message)
    {
        position = Math.Clamp(position, 0, body.Length);
        var before = body[..position];
        var line = before.Count((byte)'\n') + 1;
        var column = position - (before.LastIndexOf((byte)'\n') + 1) + 1;
        return new ExpositionFormatException(message, line, column);
    }
}

/// <summary>A label whose value both formats normalise to the OpenMetrics float form.</summary>
internal enum FloatLabel
{
    None,
    Le,
    Quantile,
}
