using Kansoku.Agent.Config;
using Kansoku.Agent.Filters;

namespace Kansoku.Agent.Tests.Filters;

public sealed class GrepFilterTests
{
    [Theory]
    [InlineData("""{"level":"error","msg":"db down"}""", true)]
    [InlineData("""{"level":"info","msg":"ok"}""", true)]
    [InlineData("""{"level":"debug","msg":"noise"}""", false)]
    [InlineData("""{"msg":"no level"}""", false)]
    public void Seed_rule_keeps_levels_of_json_parsed_records(string json, bool kept)
    {
        var filter = FilterFactory.Create(Records.Filter("grep", ("Match", "webapp.*"), ("Regex", "level (error|warn|info)")))!;
        var record = Records.Line(json, json);

        Assert.Equal(kept, filter.Apply(record));
        Assert.True(record.TryGetRawFields(out _), "grep must not materialise the fields");
    }

    [Fact]
    public void Log_and_exclude_rules_in_legacy_mode()
    {
        var filter = FilterFactory.Create(Records.Filter("grep", ("Regex", "log GET"), ("Exclude", "log /healthz")))!;

        Assert.True(filter.Apply(Records.Line("GET /api/orders 200")));
        Assert.False(filter.Apply(Records.Line("GET /healthz 200")));
        Assert.False(filter.Apply(Records.Line("POST /api/orders 201")));
    }

    [Fact]
    public void Kubernetes_keys_through_record_accessors()
    {
        var filter = FilterFactory.Create(Records.Filter("grep", ("Exclude", "$kubernetes['labels']['tier'] ^frontend$")))!;

        Assert.False(filter.Apply(Records.Line("x", kubernetes: Records.Webapp)));
        Assert.True(filter.Apply(Records.Line("x", kubernetes: Records.Webapp with { Labels = new Dictionary<string, string>() })));
        Assert.True(filter.Apply(Records.Line("x")));
    }

    [Fact]
    public void And_and_or_operators()
    {
        var and = FilterFactory.Create(Records.Filter("grep", ("Regex", "$level ^error$"), ("Regex", "$.kubernetes.namespace_name ^demo$"), ("Logical_Op", "and")))!;
        var or = FilterFactory.Create(Records.Filter("grep", ("Regex", "$level ^error$"), ("Regex", "$.kubernetes.namespace_name ^prod$"), ("Logical_Op", "or")))!;
        var orExclude = FilterFactory.Create(Records.Filter("grep", ("Exclude", "$level ^debug$"), ("Exclude", "log healthz"), ("Logical_Op", "Or")))!;
        var andExclude = FilterFactory.Create(Records.Filter("grep", ("Exclude", "$level ^debug$"), ("Exclude", "log healthz"), ("Logical_Op", "AND")))!;
        var errorInDemo = Records.Line("x", """{"level":"error"}""", Records.Webapp);
        var infoInDemo = Records.Line("x", """{"level":"info"}""", Records.Webapp);
        var debugHealth = Records.Line("healthz", """{"level":"debug"}""");
        var debugOther = Records.Line("other", """{"level":"debug"}""");

        Assert.True(and.Apply(errorInDemo));
        Assert.False(and.Apply(infoInDemo));
        Assert.True(or.Apply(errorInDemo));
        Assert.False(or.Apply(infoInDemo));
        Assert.False(orExclude.Apply(debugOther));
        Assert.True(orExclude.Apply(infoInDemo));
        Assert.False(andExclude.Apply(debugHealth));
        Assert.True(andExclude.Apply(debugOther));
    }

    [Fact]
    public void Bad_configurations_name_the_key()
    {
        Assert.Equal("Regex", Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("grep", ("Regex", "level (unclosed")))).Key);
        Assert.Equal("Regex", Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("grep", ("Regex", "levelonly")))).Key);
        Assert.Equal("Logical_Op", Assert.Throws<ConfigException>(() =>
            FilterFactory.Create(Records.Filter("grep", ("Regex", "a b"), ("Exclude", "c d"), ("Logical_Op", "and")))).Key);
        Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("grep")));
    }
}
