using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Cri;

/// <summary>One parsed CRI record: its header and where its content sits in the line it was parsed from.</summary>
internal readonly record struct CriLine(long TimeUnixNano, LogStream Stream, bool IsPartial, int ContentOffset, int ContentLength)
{
    public ReadOnlySpan<byte> Content(ReadOnlySpan<byte> line) => line.Slice(ContentOffset, ContentLength);

    public ReadOnlyMemory<byte> Content(ReadOnlyMemory<byte> line) => line.Slice(ContentOffset, ContentLength);
}
