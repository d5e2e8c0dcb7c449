namespace Kansoku.Cli.Tests.Logs;

/// <summary>The parameters of one <c>query_range</c> request <see cref="FakeLoki"/> received.</summary>
internal sealed record QueryRangeRequest(string Query, long Start, long End, int Limit, string Direction);
