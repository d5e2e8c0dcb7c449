using Kansoku.Agent.Config;
using Kansoku.Agent.Filters;
using Kansoku.Agent.Filters.Grep;

namespace Kansoku.Agent.Tests.Filters;

public sealed class FilterFactoryTests
{
    [Fact]
    public void Kubernetes_is_not_a_record_filter_and_lua_is_refused()
    {
        Assert.Null(FilterFactory.Create(Records.Filter("kubernetes", ("Merge_Log", "On"))));
        var lua = Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("lua", ("script", "x.lua"))));
        Assert.Contains("not supported", lua.Message, StringComparison.Ordinal);
        Assert.Contains("fluent-bit.conf:40", lua.Message, StringComparison.Ordinal);
        Assert.Throws<ConfigException>(() => FilterFactory.Create(Records.Filter("throttle")));
    }

    [Fact]
    public void Read_keys_are_marked_used()
    {
        var spec = Records.Filter("grep", ("Match", "*"), ("Regex", "log a"), ("Exclude", "log b"), ("Typo_Key", "1"));

        Assert.IsType<GrepFilter>(FilterFactory.Create(spec));

        Assert.Equal(["Match", "Typo_Key"], spec.UnusedProperties().Select(p => p.Key));
    }
}
