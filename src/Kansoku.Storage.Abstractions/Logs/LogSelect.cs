using Kansoku.Core.Labels;

namespace Kansoku.Storage.Logs;

/// <summary>
/// Which entries a query reads: streams whose labels match every matcher, entries with
/// <c>Start &lt;= timestamp &lt; End</c>, in <see cref="Direction"/> order per stream.
/// </summary>
/// <param name="RequiredSubstrings">Byte strings every returned line must contain (from <c>|=</c> line filters). The
/// store may use them to skip whole blocks (token filters) and must not return lines lacking one; an empty list means no
/// constraint. Case-sensitive.</param>
public sealed record LogSelect(
    IReadOnlyList<LabelMatcher> Matchers,
    long StartUnixNano,
    long EndUnixNano,
    LogDirection Direction,
    IReadOnlyList<byte[]> RequiredSubstrings);
