using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>One line with its container-runtime wrapper removed. <see cref="Content"/> points into the read buffer or a scratch buffer.</summary>
internal struct DecodedLine
{
    public long TimeUnixNano;
    public LogStream Stream;
    /// <summary>The runtime split this line; the next piece of the same stream continues it.</summary>
    public bool Partial;
    public ReadOnlyMemory<byte> Content;
}
