using Kansoku.Agent.Filters.RecordModifier;

namespace Kansoku.Agent.Tests.Filters;

public sealed class RecordModifierFilterTests
{
    [Fact]
    public void Records_expand_environment_at_config_time()
    {
        var env = new Dictionary<string, string> { ["CLUSTER"] = "tokyo-1" };
        var filter = RecordModifierFilter.From(
            Records.Filter("record_modifier", ("Record", "hostname ${HOSTNAME}"), ("Record", "cluster ${CLUSTER}-${MISSING}x"), ("Record", "note two words")),
            name => env.GetValueOrDefault(name));
        env["CLUSTER"] = "changed later";
        var record = Records.Line("x", """{"a":1}""");

        filter.Apply(record);

        Assert.Equal($$"""{"a":1,"hostname":"{{Environment.MachineName}}","cluster":"tokyo-1-x","note":"two words"}""", Records.FieldsJson(record));
    }

    [Fact]
    public void Remove_and_allowlist_keys()
    {
        var remove = RecordModifierFilter.From(Records.Filter("record_modifier", ("Remove_key", "password"), ("Remove_key", "token")), _ => null);
        var allow = RecordModifierFilter.From(Records.Filter("record_modifier", ("Allowlist_key", "level"), ("Whitelist_key", "msg")), _ => null);
        var allowLog = RecordModifierFilter.From(Records.Filter("record_modifier", ("Allowlist_key", "log")), _ => null);
        var a = Records.Line("x", """{"user":"ann","password":"p","token":"t"}""");
        var b = Records.Line("x", """{"level":"info","msg":"m","extra":1}""");
        var c = Records.Line("x", """{"extra":1}""");

        remove.Apply(a);
        allow.Apply(b);
        allowLog.Apply(c);

        Assert.Equal("""{"user":"ann"}""", Records.FieldsJson(a));
        Assert.Equal("""{"level":"info","msg":"m"}""", Records.FieldsJson(b));
        Assert.False(b.KeepLog);
        Assert.Equal("{}", Records.FieldsJson(c));
        Assert.True(c.KeepLog);
    }
}
