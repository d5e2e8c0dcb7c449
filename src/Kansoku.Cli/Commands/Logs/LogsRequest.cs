namespace Kansoku.Cli.Commands.Logs;

/// <summary>What to read, in either mode (server or <c>--dir</c>).</summary>
/// <param name="SinceUnixNano">From <c>--since</c> / <c>--since-time</c>; null: everything kept.</param>
/// <param name="NowUnixNano">When the command started: the end of the history.</param>
/// <param name="Tail">Only the last N lines of the history (N may be 0); null: all of them.</param>
internal sealed record LogsRequest(LogSelection Selection, long? SinceUnixNano, long NowUnixNano, int? Tail, bool Follow, bool Previous);
