using Kansoku.Agent.Parsers.Cri;
using Kansoku.Agent.Parsers.Docker;

namespace Kansoku.Agent.Parsers;

/// <summary>Tells a container log file's format from its first line, as the kubelet does.</summary>
internal static class LogFormatDetector
{
    public static ContainerLogFormat Detect(ReadOnlySpan<byte> firstLine)
    {
        if (CriLineParser.TryParse(firstLine, out _))
        {
            return ContainerLogFormat.Cri;
        }
        if (firstLine.IsEmpty || firstLine[0] != '{')
        {
            return ContainerLogFormat.Unknown;
        }
        // Detection runs once per file, so a scratch buffer for the unescaped content is affordable here.
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(firstLine.Length);
        try
        {
            return DockerJsonLineParser.TryParse(firstLine, scratch, out _) ? ContainerLogFormat.DockerJson : ContainerLogFormat.Unknown;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
