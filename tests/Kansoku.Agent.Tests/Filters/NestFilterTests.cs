using Kansoku.Agent.Config;
using Kansoku.Agent.Filters;

namespace Kansoku.Agent.Tests.Filters;

public sealed class NestFilterTests
{
    [Fact]
    public void Nest_moves_matching_keys_under_a_key()
    {
        var filter = FilterFactory.Create(Records.Filter("nest",
            ("Operation", "nest"), ("Wildcard", "http_*"), ("Wildcard", "user"), ("Nest_under", "request"), ("Remove_prefix", "http_")))!;
        var record = Records.Line("x", """{"http_method":"GET","http_status":200,"user":"ann","level":"info"}""");

        filter.Apply(record);

        Assert.Equal("""{"level":"info","request":{"method":"GET","status":200,"user":"ann"}}""", Records.FieldsJson(record));
    }

    [Fact]
    public void Lift_moves_a_nested_object_up_with_a_prefix()
    {
        var filter = FilterFactory.Create(Records.Filter("nest", ("Operation", "lift"), ("Nested_under", "request"), ("Add_prefix", "req_")))!;
        var record = Records.Line("x", """{"level":"info","request":{"method":"GET","status":200}}""");
        var notObject = Records.Line("x", """{"request":"GET /"}""");

        filter.Apply(record);
        filter.Apply(notObject);

        Assert.Equal("""{"level":"info","req_method":"GET","req_status":200}""", Records.FieldsJson(record));
        Assert.Equal("""{"request":"GET /"}""", Records.FieldsJson(notObject));
    }

    [Fact]
    public void Nest_merges_into_an_existing_object_and_skips_records_without_fields()
    {
        var filter = FilterFactory.Create(Records.Filter("nest", ("Operation", "nest"), ("Wildcard", "a*"), ("Nest_under", "n")))!;
        var record = Records.Line("x", """{"n":{"old":1},"ab":2}""");
        var plain = Records.Line("x");

        filter.Apply(record);
        filter.Apply(plain);

        Assert.Equal("""{"n":{"old":1,"ab":2}}""", Records.FieldsJson(record));
        Assert.False(plain.HasFields);
    }

    [Fact]
    public void Missing_settings_are_config_errors()
    {
        Assert.Equal("Operation", Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("nest", ("Operation", "flatten")))).Key);
        Assert.Equal("Nest_under", Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("nest", ("Operation", "nest"), ("Wildcard", "a*")))).Key);
        Assert.Equal("Nested_under", Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("nest", ("Operation", "lift")))).Key);
    }
}
