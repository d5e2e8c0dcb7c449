using Kansoku.Agent.Parsers;
using Kansoku.Agent.Parsers.Cri;
using Kansoku.Agent.Parsers.Docker;
using Kansoku.Agent.Pipeline;
using Kansoku.Core.Time;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>Takes the container runtime's wrapper off a line: CRI, docker json-file, or none (plain files).</summary>
internal static class ContainerLineDecoder
{
    /// <summary>The file's format from its first line; a line that is neither CRI nor docker makes it a plain file.</summary>
    public static ContainerLogFormat Detect(ReadOnlySpan<byte> firstLine)
    {
        var format = LogFormatDetector.Detect(firstLine);
        return format == ContainerLogFormat.Unknown ? ContainerLogFormat.Raw : format;
    }

    /// <summary>
    /// Decodes one line (without its LF). Docker content is unescaped into <paramref name="scratch"/>, which the next
    /// call reuses. Returns false for a line not valid in the file's format.
    /// </summary>
    public static bool TryDecode(ContainerLogFormat format, ReadOnlyMemory<byte> line, ByteBuffer scratch, TimeProvider time, out DecodedLine decoded)
    {
        decoded = default;
        switch (format)
        {
            case ContainerLogFormat.Cri:
                if (!CriLineParser.TryParse(line.Span, out var cri))
                {
                    return false;
                }
                decoded.TimeUnixNano = cri.TimeUnixNano;
                decoded.Stream = cri.Stream;
                decoded.Partial = cri.IsPartial;
                decoded.Content = cri.Content(line);
                return true;
            case ContainerLogFormat.DockerJson:
                scratch.Clear();
                if (!DockerJsonLineParser.TryParse(line.Span, scratch, out var docker))
                {
                    return false;
                }
                decoded.TimeUnixNano = docker.TimeUnixNano != 0 ? docker.TimeUnixNano : time.NowNanos();
                decoded.Stream = docker.Stream;
                decoded.Partial = docker.IsPartial;
                decoded.Content = scratch.WrittenMemory[..docker.ContentLength];
                return true;
            default:
                var content = line;
                if (!content.IsEmpty && content.Span[^1] == (byte)'\r')
                {
                    content = content[..^1];
                }
                decoded.Content = content;
                decoded.Stream = LogStream.Stdout;
                decoded.TimeUnixNano = time.NowNanos();
                return true;
        }
    }

}
