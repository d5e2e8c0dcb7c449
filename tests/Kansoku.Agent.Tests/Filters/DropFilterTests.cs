using Kansoku.Agent.Config;
using Kansoku.Agent.Filters;

namespace Kansoku.Agent.Tests.Filters;

public sealed class DropFilterTests
{
    [Fact]
    public void Drops_by_namespace_exact_or_glob_and_by_label()
    {
        var filter = FilterFactory.Create(Records.Filter("drop",
            ("namespace", "kube-system"), ("namespace", "monitoring-*"), ("label", "app=noisy"), ("label", "tier=back*")))!;

        Assert.False(filter.Apply(Records.Line("x", kubernetes: Records.Webapp with { NamespaceName = "kube-system" })));
        Assert.False(filter.Apply(Records.Line("x", kubernetes: Records.Webapp with { NamespaceName = "monitoring-prod" })));
        Assert.False(filter.Apply(Records.Line("x", kubernetes: Records.Webapp with { Labels = new Dictionary<string, string> { ["app"] = "noisy" } })));
        Assert.False(filter.Apply(Records.Line("x", kubernetes: Records.Webapp with { Labels = new Dictionary<string, string> { ["tier"] = "backend" } })));
        Assert.True(filter.Apply(Records.Line("x", kubernetes: Records.Webapp)));
        Assert.True(filter.Apply(Records.Line("x", kubernetes: Records.Webapp with { NamespaceName = "kube-system-extra" })));
        Assert.True(filter.Apply(Records.Line("x")));
    }

    [Fact]
    public void Decision_follows_the_records_metadata()
    {
        var filter = FilterFactory.Create(Records.Filter("drop", ("namespace", "demo")))!;
        var other = Records.Webapp with { NamespaceName = "prod" };

        Assert.False(filter.Apply(Records.Line("a", kubernetes: Records.Webapp)));
        Assert.True(filter.Apply(Records.Line("b", kubernetes: other)));
        Assert.False(filter.Apply(Records.Line("c", kubernetes: Records.Webapp)));
    }

    [Fact]
    public void Bad_settings_are_config_errors()
    {
        Assert.Equal("label", Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("drop", ("label", "novalue")))).Key);
        Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("drop")));
    }
}
