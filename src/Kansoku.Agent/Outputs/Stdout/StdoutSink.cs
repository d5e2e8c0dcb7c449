using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs.Batching;

namespace Kansoku.Agent.Outputs.Stdout;

/// <summary>Fluent Bit's <c>stdout</c> output: writes batches to a stream (standard output in the agent).</summary>
internal sealed class StdoutSink : ILogSink
{
    private static readonly byte[] s_newline = [(byte)'\n'];

    private readonly Stream _stream;
    private readonly StdoutFormat _format;

    public StdoutSink(Stream stream, StdoutFormat format)
    {
        _stream = stream;
        _format = format;
    }

    public static StdoutFormat ParseFormat(ComponentSpec spec)
    {
        var property = spec.Find("format");
        return property?.Value.Trim().ToLowerInvariant() switch
        {
            null or "json_lines" or "json_stream" => StdoutFormat.JsonLines,
            "json" => StdoutFormat.Json,
            _ => throw new ConfigException(property.Location, property.Key, $"stdout supports json_lines and json, not '{property.Value}'"),
        };
    }

    public async ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> ndjson, int count, CancellationToken cancellationToken)
    {
        if (_format == StdoutFormat.JsonLines)
        {
            await _stream.WriteAsync(ndjson, cancellationToken);
            if (!ndjson.Span.EndsWith((byte)'\n'))
            {
                await _stream.WriteAsync(s_newline, cancellationToken);
            }
        }
        else
        {
            await _stream.WriteAsync(ToJsonArray(ndjson.Span), cancellationToken);
        }
        await _stream.FlushAsync(cancellationToken);
        return SendResult.Ok(count);
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private static byte[] ToJsonArray(ReadOnlySpan<byte> ndjson)
    {
        using var output = new MemoryStream(ndjson.Length + 3);
        output.WriteByte((byte)'[');
        var first = true;
        foreach (var range in ndjson.Split((byte)'\n'))
        {
            var line = ndjson[range].TrimEnd((byte)'\r');
            if (line.IsEmpty)
            {
                continue;
            }
            if (!first)
            {
                output.WriteByte((byte)',');
            }
            output.Write(line);
            first = false;
        }
        output.Write("]\n"u8);
        return output.ToArray();
    }
}
