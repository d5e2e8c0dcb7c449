using Kansoku.Agent.Parsers.Time;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Cri;

/// <summary>
/// Parses one CRI container log record, <c>&lt;RFC 3339 time&gt; &lt;stdout|stderr&gt; &lt;P|F&gt;[:tags] &lt;content&gt;</c>
/// (see shared/conformance/cri/FORMAT.md). Allocation-free.
/// </summary>
/// <remarks>
/// Stricter than the kubelet: the first tag must be P or F, so the pre-2017 untagged form is rejected rather than
/// misread. A '\r' ending an F record's content is dropped, as newer containerd does before writing, so CRLF output
/// reads the same on every runtime version; P records keep it because a split can fall between '\r' and '\n'.
/// </remarks>
internal static class CriLineParser
{
    /// <summary>Parses <paramref name="line"/> (without its LF; a trailing LF is tolerated and ignored).</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out CriLine result)
    {
        result = default;
        if (!line.IsEmpty && line[^1] == '\n')
        {
            line = line[..^1];
        }
        var timeEnd = line.IndexOf((byte)' ');
        if (timeEnd < 0 || !Rfc3339.TryParse(line[..timeEnd], out var time))
        {
            return false;
        }

        var rest = line[(timeEnd + 1)..];
        LogStream stream;
        if (rest.StartsWith("stdout "u8))
        {
            stream = LogStream.Stdout;
        }
        else if (rest.StartsWith("stderr "u8))
        {
            stream = LogStream.Stderr;
        }
        else
        {
            return false;
        }

        var tagsStart = timeEnd + 8;
        var tags = line[tagsStart..];
        var tagsEnd = tags.IndexOf((byte)' ');
        // The first tag is one letter, alone or followed by ':' and further tags, which are ignored.
        if (tagsEnd < 1 || tags[0] is not ((byte)'P' or (byte)'F') || (tagsEnd > 1 && tags[1] != ':'))
        {
            return false;
        }

        var partial = tags[0] == 'P';
        var contentOffset = tagsStart + tagsEnd + 1;
        var contentLength = line.Length - contentOffset;
        if (!partial && contentLength > 0 && line[^1] == '\r')
        {
            contentLength--;
        }
        result = new CriLine(time, stream, partial, contentOffset, contentLength);
        return true;
    }
}
