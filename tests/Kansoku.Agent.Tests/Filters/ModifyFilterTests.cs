using Kansoku.Agent.Config;
using Kansoku.Agent.Filters;

namespace Kansoku.Agent.Tests.Filters;

public sealed class ModifyFilterTests
{
    [Fact]
    public void Rules_apply_in_order()
    {
        var filter = FilterFactory.Create(Records.Filter("modify",
            ("Set", "env production"),
            ("Add", "level info"),
            ("Add", "region eu-west-1"),
            ("Rename", "msg message"),
            ("Copy", "status code"),
            ("Remove", "secret"),
            ("Remove_wildcard", "tmp_"),
            ("Remove_regex", "^debug\\d+$"),
            ("Hard_rename", "user owner"),
            ("Hard_copy", "env environment")))!;
        var record = Records.Line("x", """{"level":"error","msg":"hi","status":200,"secret":"s","tmp_a":1,"tmp_b":2,"debug1":0,"debugx":0,"user":"ann","owner":"old","env":"dev"}""");

        Assert.True(filter.Apply(record));

        Assert.Equal(
            """{"level":"error","status":200,"debugx":0,"owner":"ann","env":"production","region":"eu-west-1","message":"hi","code":200,"environment":"production"}""",
            Records.FieldsJson(record));
    }

    [Fact]
    public void Soft_rename_and_copy_keep_an_existing_destination()
    {
        var filter = FilterFactory.Create(Records.Filter("modify", ("Rename", "a b"), ("Copy", "c d")))!;
        var record = Records.Line("x", """{"a":1,"b":2,"c":3,"d":4}""");

        filter.Apply(record);

        Assert.Equal("""{"a":1,"b":2,"c":3,"d":4}""", Records.FieldsJson(record));
    }

    [Fact]
    public void Virtual_log_can_be_moved_into_a_field()
    {
        var filter = FilterFactory.Create(Records.Filter("modify", ("Rename", "log message")))!;
        var record = Records.Line("plain text line");

        filter.Apply(record);

        Assert.Equal("""{"message":"plain text line"}""", Records.FieldsJson(record));
        Assert.False(record.KeepLog);
    }

    [Fact]
    public void Conditions_gate_the_rules()
    {
        var filter = FilterFactory.Create(Records.Filter("modify",
            ("Condition", "Key_exists status"),
            ("Condition", "Key_does_not_exist alert"),
            ("Condition", "Key_value_equals $kubernetes['namespace_name'] demo"),
            ("Condition", "Key_value_matches status ^5\\d\\d$"),
            ("Set", "alert true")))!;
        var serverError = Records.Line("x", """{"status":503}""", Records.Webapp);
        var clientError = Records.Line("x", """{"status":404}""", Records.Webapp);
        var otherNamespace = Records.Line("x", """{"status":503}""", Records.Webapp with { NamespaceName = "prod" });

        filter.Apply(serverError);
        filter.Apply(clientError);
        filter.Apply(otherNamespace);

        Assert.Equal("""{"status":503,"alert":"true"}""", Records.FieldsJson(serverError));
        Assert.Equal("""{"status":404}""", Records.FieldsJson(clientError));
        Assert.Equal("""{"status":503}""", Records.FieldsJson(otherNamespace));
        Assert.True(clientError.TryGetRawFields(out _), "unmet conditions must not materialise the fields");
    }

    [Fact]
    public void Negated_conditions()
    {
        var filter = FilterFactory.Create(Records.Filter("modify",
            ("Condition", "Key_value_does_not_equal level debug"),
            ("Condition", "Key_value_does_not_match log ^GET"),
            ("Add", "kept yes")))!;
        var post = Records.Line("POST /x", """{"level":"info"}""");
        var get = Records.Line("GET /x", """{"level":"info"}""");

        filter.Apply(post);
        filter.Apply(get);

        Assert.Contains("\"kept\"", Records.FieldsJson(post), StringComparison.Ordinal);
        Assert.DoesNotContain("\"kept\"", Records.FieldsJson(get), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_condition_and_empty_filter_are_config_errors()
    {
        Assert.Equal("Condition", Assert.Throws<ConfigException>(() =>
            FilterFactory.Create(Records.Filter("modify", ("Condition", "Matching_keys_have_matching_values a b"), ("Set", "a b")))).Key);
        Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("modify", ("Condition", "Key_exists a"))));
        Assert.Equal("Rename", Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("modify", ("Rename", "a b c")))).Key);
    }
}
