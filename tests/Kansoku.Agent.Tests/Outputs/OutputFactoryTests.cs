using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs;
using Kansoku.Agent.Outputs.Elasticsearch;
using Kansoku.Agent.Outputs.Loki;
using static Kansoku.Agent.Tests.Outputs.OutputTestKit;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Outputs;

public sealed class OutputFactoryTests
{
    [Theory]
    [InlineData("stdout", "stdout", null, null)]
    [InlineData("file:/var/log/kansoku/out.ndjson", "file", "path", "/var/log/kansoku/out.ndjson")]
    [InlineData("loki:http://loki.monitoring:3100", "loki", "url", "http://loki.monitoring:3100")]
    [InlineData("es:127.0.0.1:9200", "es", "url", "http://127.0.0.1:9200")]
    [InlineData("opensearch:https://search:9200", "opensearch", "url", "https://search:9200")]
    [InlineData("kansoku:http://kansoku-server:8080", "kansoku", "url", "http://kansoku-server:8080")]
    public void FromUrl_parses_the_cli_forms(string value, string type, string? key, string? expected)
    {
        var spec = OutputFactory.FromUrl(value);
        Assert.Equal(ComponentKind.Output, spec.Kind);
        Assert.Equal(type, spec.Type);
        if (key is null)
        {
            Assert.Empty(spec.Properties);
        }
        else
        {
            Assert.Equal(expected, spec.Get(key));
        }
    }

    [Theory]
    [InlineData("kafka:broker:9092")]
    [InlineData("loki:")]
    [InlineData("file")]
    public void FromUrl_rejects_unknown_forms(string value)
    {
        var error = Assert.Throws<ConfigException>(() => OutputFactory.FromUrl(value));
        Assert.Contains(value.TrimEnd(':'), error.Message);
    }

    [Fact]
    public void Unknown_output_type_names_it()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ConfigException>(() => OutputFactory.Create(Spec("splunk"), Context(dir.Path)));
        Assert.Contains("'splunk'", error.Message);
    }

    [Fact]
    public void Bad_values_are_config_errors_with_their_key()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ConfigException>(() => OutputFactory.Create(Spec("loki", ("Retry_Limit", "lots")), Context(dir.Path)));
        Assert.Equal("Retry_Limit", error.Key);
        error = Assert.Throws<ConfigException>(() => OutputFactory.Create(Spec("loki", ("buffer_full_action", "explode")), Context(dir.Path)));
        Assert.Equal("buffer_full_action", error.Key);
        error = Assert.Throws<ConfigException>(() => OutputFactory.Create(Spec("loki", ("labels", "job")), Context(dir.Path)));
        Assert.Equal("labels", error.Key);
    }

    [Theory]
    [InlineData("http://kansoku:8080", "http://kansoku:8080/loki/api/v1/push")]
    [InlineData("http://kansoku:8080/", "http://kansoku:8080/loki/api/v1/push")]
    [InlineData("https://gateway/tenant/loki/api/v1/push", "https://gateway/tenant/loki/api/v1/push")]
    public void Loki_url_gets_the_push_path_when_it_has_none(string url, string expected)
    {
        var config = LokiConfig.FromSpec(Spec("kansoku", ("url", url)), kansoku: true);
        Assert.Equal(expected, config.Transport.Endpoint.ToString());
        Assert.True(config.Protobuf);
        Assert.Equal(["app", "container", "namespace", "node", "pod", "stream"], config.Labels.Select(l => l.Name));
    }

    [Theory]
    [InlineData("http://es:9200", "http://es:9200/_bulk")]
    [InlineData("http://es:9200/_bulk", "http://es:9200/_bulk")]
    [InlineData("https://user:pw@proxy/es", "https://user:pw@proxy/es/_bulk")]
    public void Elasticsearch_url_gets_the_bulk_path(string url, string expected)
    {
        var config = ElasticsearchConfig.FromSpec(Spec("es", ("url", url)));
        Assert.Equal(expected, config.Transport.Endpoint.ToString());
    }

    [Fact]
    public void Host_port_tls_build_the_endpoint_and_loki_defaults_to_json()
    {
        var config = LokiConfig.FromSpec(Spec("loki", ("host", "loki.monitoring"), ("port", "443"), ("tls", "on"), ("uri", "/api/prom/push")), kansoku: false);
        Assert.Equal("https://loki.monitoring/api/prom/push", config.Transport.Endpoint.ToString());
        Assert.False(config.Protobuf);
    }
}
