using Kansoku.LogQL.Parser;

namespace Kansoku.LogQL.Tests.Parser;

public sealed class LokiConformanceTests
{
    [Theory]
    [MemberData(nameof(LokiCases.Valid), MemberType = typeof(LokiCases))]
    public void Accepts_what_Loki_accepts_and_round_trips_it(string query)
    {
        var parsed = LogQLParser.Parse(query);
        var printed = parsed.ToString();
        AstAssert.Equal(parsed, LogQLParser.Parse(printed));
        Assert.Equal(printed, LogQLParser.Parse(printed).ToString());
    }

    [Theory]
    [MemberData(nameof(LokiCases.Invalid), MemberType = typeof(LokiCases))]
    public void Refuses_what_Loki_refuses(string query)
    {
        Assert.Throws<LogQLParseException>(() => LogQLParser.Parse(query));
    }
}
