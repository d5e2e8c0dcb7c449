namespace Kansoku.LogQL.Engine;

/// <summary>A result entry: its time (Unix nanoseconds) and its line after <c>line_format</c> and the like.</summary>
internal readonly record struct LogResultEntry(long TimestampUnixNano, string Line);
