using Kansoku.Scrape.Config;
using Kansoku.Scrape.Relabel;
using YamlDotNet.RepresentationModel;

namespace Kansoku.Scrape.Tests.Relabel;

/// <summary>Relabel rules written as they are in prometheus.yml, read through the configuration loader.</summary>
internal static class RelabelRules
{
    public static RelabelConfig Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return PrometheusConfigLoader.ReadRelabelConfig(new YamlSection("rules.yml", "", (YamlMappingNode)stream.Documents[0].RootNode));
    }
}
