using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Engine;

/// <summary>
/// What a log query reads: entries with <c>Start &lt;= timestamp &lt; End</c> (Unix nanoseconds), at most
/// <see cref="Limit"/> of them in <see cref="Direction"/> order, and with <see cref="IntervalNanos"/> &gt; 0 at most one
/// entry per interval (Loki's <c>interval</c> parameter).
/// </summary>
internal readonly record struct LogQueryRange(long StartUnixNano, long EndUnixNano, LogDirection Direction, int Limit, long IntervalNanos = 0);
