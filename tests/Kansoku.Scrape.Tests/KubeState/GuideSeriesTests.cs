using System.Text.RegularExpressions;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.KubeState;

/// <summary>The guide's alerts and dashboards must find their kube-state-metrics series without kube-state-metrics installed.</summary>
public sealed partial class GuideSeriesTests
{
    [Theory]
    [InlineData("prometheus-rules.yaml")]
    [InlineData("prometheus-rules.rules.yml")]
    [InlineData("dashboard-cluster.json")]
    public void Every_kube_metric_the_guide_queries_is_a_family_with_samples(string seedFile)
    {
        var queried = KubeMetricName().Matches(File.ReadAllText(RepositoryPaths.SeedConfig(seedFile)))
            .Select(m => m.Value).Distinct().ToArray();
        var families = KubeStateTestData.CacheWithAllObjects().Families().ToDictionary(f => f.Name);

        Assert.NotEmpty(queried);
        Assert.All(queried, name => Assert.NotEmpty(Assert.Contains(name, families).Samples));
    }

    [GeneratedRegex(@"\bkube_[a-z_]+\b")]
    private static partial Regex KubeMetricName();
}
