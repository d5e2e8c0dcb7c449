using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kansoku.Agent.Parsers.Time;
using Kansoku.Core.Labels;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// Prints entries to a byte stream in the <c>-o</c> format. Lines stay bytes from the response to the output: the
/// message of an agent record is unescaped straight into a scratch buffer.
/// </summary>
internal sealed class LinePrinter : IDisposable
{
    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Stream _output;
    private readonly OutputFormat _format;
    private readonly bool _color;
    private readonly bool _timestamps;
    private readonly bool _prefix;
    private readonly bool _linesAreRecords;
    private readonly Dictionary<LabelSet, byte[]> _prefixes = [];
    private readonly Utf8JsonWriter _json;
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(4096);

    /// <param name="output">Written to as entries come; <see cref="Flush"/> pushes it on.</param>
    /// <param name="linesAreRecords">Lines are the agent's JSON records (the server), whose <c>log</c> field is the message;
    /// else a line is the message itself (files read with <c>--dir</c>).</param>
    public LinePrinter(Stream output, OutputFormat format, bool color, bool timestamps, bool prefix, bool linesAreRecords)
    {
        _output = output;
        _format = format;
        _color = color;
        _timestamps = timestamps;
        _prefix = prefix;
        _linesAreRecords = linesAreRecords;
        _json = new Utf8JsonWriter(output, s_jsonOptions);
    }

    public void Write(in LogLine line)
    {
        if (_format == OutputFormat.Json)
        {
            WriteJson(line);
            return;
        }
        if (_format == OutputFormat.Text && _prefix)
        {
            _output.Write(Prefix(line.Labels));
        }
        if (_timestamps)
        {
            Span<byte> time = stackalloc byte[Rfc3339.MaxFormattedLength + 1];
            var length = Rfc3339.Format(line.TimeUnixNano, time);
            time[length] = (byte)' ';
            _output.Write(time[..(length + 1)]);
        }
        var text = _format == OutputFormat.Text ? Message(line.Line) : line.Line;
        if (!text.IsEmpty && text[^1] == '\n')
        {
            text = text[..^1];
        }
        _output.Write(text);
        _output.WriteByte((byte)'\n');
    }

    public void Flush() => _output.Flush();

    /// <summary>A record's <c>log</c> field, or the whole line when it is not a record with one.</summary>
    private ReadOnlySpan<byte> Message(byte[] line)
    {
        if (!_linesAreRecords || line.Length < 2 || line[0] != (byte)'{')
        {
            return line;
        }
        try
        {
            var reader = new Utf8JsonReader(line);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isLog = reader.ValueTextEquals("log"u8);
                reader.Read();
                if (isLog && reader.TokenType == JsonTokenType.String)
                {
                    if (!reader.ValueIsEscaped)
                    {
                        return reader.ValueSpan;
                    }
                    if (_scratch.Length < reader.ValueSpan.Length)
                    {
                        ArrayPool<byte>.Shared.Return(_scratch);
                        _scratch = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
                    }
                    return _scratch.AsSpan(0, reader.CopyString(_scratch));
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: the line is the message.
        }
        return line;
    }

    private byte[] Prefix(LabelSet labels)
    {
        if (!_prefixes.TryGetValue(labels, out var prefix))
        {
            var pod = labels.Get("pod");
            var text = pod.Length > 0 ? TerminalColors.Prefix(pod, labels.Get("container"), _color) : labels + " ";
            prefix = Encoding.UTF8.GetBytes(text);
            _prefixes[labels] = prefix;
        }
        return prefix;
    }

    private void WriteJson(in LogLine line)
    {
        Span<byte> time = stackalloc byte[Rfc3339.MaxFormattedLength];
        var length = Rfc3339.Format(line.TimeUnixNano, time);
        _json.Reset(_output);
        _json.WriteStartObject();
        _json.WriteString("timestamp"u8, time[..length]);
        _json.WriteStartObject("labels"u8);
        foreach (var label in line.Labels.AsSpan())
        {
            _json.WriteString(label.Name, label.Value);
        }
        _json.WriteEndObject();
        if (System.Text.Unicode.Utf8.IsValid(line.Line))
        {
            _json.WriteString("line"u8, line.Line);
        }
        else
        {
            // Files read with --dir hold whatever a container wrote; JSON needs text, so bad bytes become U+FFFD.
            _json.WriteString("line"u8, Encoding.UTF8.GetString(line.Line));
        }
        _json.WriteEndObject();
        _json.Flush();
        _output.WriteByte((byte)'\n');
    }

    public void Dispose()
    {
        _json.Dispose();
        ArrayPool<byte>.Shared.Return(_scratch);
    }
}
