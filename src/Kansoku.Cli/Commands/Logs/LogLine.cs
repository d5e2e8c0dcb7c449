using Kansoku.Core.Labels;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>One log entry to print: its time, its stream's labels and the line (UTF-8).</summary>
/// <param name="Labels">Shared by every line of a stream (one instance per stream per response or container).</param>
internal readonly record struct LogLine(long TimeUnixNano, LabelSet Labels, byte[] Line);
