using System.Buffers;
using System.Globalization;
using System.Text;
using Kansoku.Core.Labels;

namespace Kansoku.Core.Exposition;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4 straight into UTF-8 bytes: <c># HELP</c> / <c># TYPE</c> lines, then
/// samples as <c>name{label="value"} 1.5</c>. Label values escape <c>\</c>, <c>"</c> and newline, HELP text <c>\</c> and
/// newline, as the format requires. Floats use Prometheus' layout (<see cref="GoFloat"/>). Names are written as given:
/// the caller owns their validity. Not thread-safe; one writer per response.
/// </summary>
internal sealed class ExpositionWriter(IBufferWriter<byte> output)
{
    /// <summary>The Content-Type of what this writes.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void WriteFamily(string name, string help, MetricKind kind)
    {
        WriteRaw("# HELP "u8);
        WriteText(name);
        WriteRaw(" "u8);
        WriteEscaped(help, escapeQuotes: false);
        WriteRaw("\n# TYPE "u8);
        WriteText(name);
        WriteRaw(kind switch
        {
            MetricKind.Counter => " counter\n"u8,
            MetricKind.Gauge => " gauge\n"u8,
            MetricKind.Histogram => " histogram\n"u8,
            _ => " untyped\n"u8,
        });
    }

    public void WriteSample(string name, ReadOnlySpan<Label> labels, double value)
    {
        WriteSeries(name, ""u8, labels);
        WriteFloat(value);
        WriteRaw("\n"u8);
    }

    /// <summary>An integer sample (a count), written exactly instead of in float layout.</summary>
    public void WriteSample(string name, ReadOnlySpan<Label> labels, long value)
    {
        WriteSeries(name, ""u8, labels);
        WriteInteger(value);
        WriteRaw("\n"u8);
    }

    /// <summary>One <c>name_bucket{…,le="bound"} count</c> line of a histogram (counts are cumulative).</summary>
    public void WriteBucket(string name, ReadOnlySpan<Label> labels, double upperBound, long cumulativeCount)
    {
        WriteText(name);
        WriteRaw("_bucket{"u8);
        foreach (var label in labels)
        {
            WriteLabel(label);
            WriteRaw(","u8);
        }
        WriteRaw("le=\""u8);
        WriteFloat(upperBound);
        WriteRaw("\"} "u8);
        WriteInteger(cumulativeCount);
        WriteRaw("\n"u8);
    }

    /// <summary>The <c>name_sum</c> and <c>name_count</c> lines that close a histogram's series.</summary>
    public void WriteSumAndCount(string name, ReadOnlySpan<Label> labels, double sum, long count)
    {
        WriteSeries(name, "_sum"u8, labels);
        WriteFloat(sum);
        WriteRaw("\n"u8);
        WriteSeries(name, "_count"u8, labels);
        WriteInteger(count);
        WriteRaw("\n"u8);
    }

    private void WriteSeries(string name, ReadOnlySpan<byte> suffix, ReadOnlySpan<Label> labels)
    {
        WriteText(name);
        WriteRaw(suffix);
        if (labels.Length > 0)
        {
            WriteRaw("{"u8);
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    WriteRaw(","u8);
                }
                WriteLabel(labels[i]);
            }
            WriteRaw("}"u8);
        }
        WriteRaw(" "u8);
    }

    private void WriteLabel(Label label)
    {
        WriteText(label.Name);
        WriteRaw("=\""u8);
        WriteEscaped(label.Value, escapeQuotes: true);
        WriteRaw("\""u8);
    }

    private void WriteFloat(double value)
    {
        var span = output.GetSpan(GoFloat.MaxLength);
        output.Advance(GoFloat.FormatExposition(value, span));
    }

    private void WriteInteger(long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private void WriteText(ReadOnlySpan<char> text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private void WriteEscaped(string text, bool escapeQuotes)
    {
        var rest = text.AsSpan();
        while (true)
        {
            var special = escapeQuotes ? rest.IndexOfAny('\\', '"', '\n') : rest.IndexOfAny('\\', '\n');
            if (special < 0)
            {
                WriteText(rest);
                return;
            }
            WriteText(rest[..special]);
            WriteRaw(rest[special] switch
            {
                '\\' => "\\\\"u8,
                '"' => "\\\""u8,
                _ => "\\n"u8,
            });
            rest = rest[(special + 1)..];
        }
    }
}
