using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs.Http;
using Kansoku.Agent.Outputs.Records;

namespace Kansoku.Agent.Outputs.Elasticsearch;

/// <summary>Settings of the <c>es</c>/<c>elasticsearch</c>/<c>opensearch</c> output, with Fluent Bit's key names.</summary>
internal sealed record ElasticsearchConfig(
    HttpTransportOptions Transport,
    string Index,
    bool LogstashFormat,
    string LogstashPrefix,
    StrftimeFormat LogstashDateFormat,
    string TimeKey,
    StrftimeFormat TimeKeyFormat,
    bool TimeKeyNanos,
    bool GenerateId,
    RecordAccessor? IdKey,
    bool ReplaceDots,
    string WriteOperation,
    bool TraceError)
{
    public const int DefaultPort = 9200;

    public static ElasticsearchConfig FromSpec(ComponentSpec spec)
    {
        // Fluent Bit's Path is a prefix in front of /_bulk (ES behind a proxy); Kansoku's url may name the base or /_bulk.
        var prefix = (spec.Get("path") ?? "").TrimEnd('/');
        var transport = HttpTransportOptions.FromSpec(spec, DefaultPort, prefix + "/_bulk",
            path => path.EndsWith("/_bulk", StringComparison.Ordinal) ? path : path.TrimEnd('/') + "/_bulk");

        // No tags exist in the pipeline's NDJSON (routing happened before the output), so there is nothing for
        // include_tag_key to add; the keys are accepted so Fluent Bit configs load unchanged.
        spec.MarkUsed("include_tag_key");
        spec.MarkUsed("tag_key");
        // Mapping types are gone in ES 8 / OpenSearch 2: no _type is ever sent, so these only need to be accepted.
        spec.MarkUsed("type");
        spec.MarkUsed("suppress_type_name");
        // The whole response is read regardless of size.
        spec.MarkUsed("buffer_size");

        var dateFormat = spec.Find("logstash_dateformat");
        var timeKeyFormat = spec.Find("time_key_format");
        var idKey = spec.Find("id_key");
        var operation = spec.Find("write_operation");
        var writeOperation = operation?.Value.Trim().ToLowerInvariant() switch
        {
            null or "create" => "create",
            "index" => "index",
            _ => throw new ConfigException(operation.Location, operation.Key, $"supported: create, index; got '{operation.Value}'"),
        };
        return new ElasticsearchConfig(
            transport,
            spec.Get("index") ?? "fluent-bit",
            spec.GetBool("logstash_format", false),
            spec.Get("logstash_prefix") ?? "logstash",
            StrftimeFormat.Parse(dateFormat?.Value ?? "%Y.%m.%d", dateFormat),
            spec.Get("time_key") ?? "@timestamp",
            StrftimeFormat.Parse(timeKeyFormat?.Value ?? "%Y-%m-%dT%H:%M:%S", timeKeyFormat),
            spec.GetBool("time_key_nanos", false),
            spec.GetBool("generate_id", false),
            idKey is null ? null : RecordAccessor.Parse(idKey.Value, idKey),
            // On by default (Fluent Bit: Off). Pod labels such as app and app.kubernetes.io/name would otherwise
            // collide in the mapping: "app" cannot be both a keyword and an object holding "kubernetes".
            // With dots replaced the second becomes app_kubernetes_io/name.
            spec.GetBool("replace_dots", true),
            writeOperation,
            spec.GetBool("trace_error", false));
    }
}
