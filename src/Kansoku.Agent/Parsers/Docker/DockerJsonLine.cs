using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Docker;

/// <summary>One parsed docker json-file line. The unescaped content was written to the caller's buffer.</summary>
/// <param name="TimeUnixNano">The <c>time</c> field; 0 when the line has none (the caller then uses the read time).</param>
/// <param name="IsPartial">The <c>log</c> value did not end in a newline: the line continues in the next record.</param>
/// <param name="ContentLength">Bytes of content written.</param>
internal readonly record struct DockerJsonLine(long TimeUnixNano, LogStream Stream, bool IsPartial, int ContentLength);
