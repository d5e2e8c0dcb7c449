using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs.Http;
using Kansoku.Agent.Outputs.Records;

namespace Kansoku.Agent.Outputs.Loki;

/// <summary>
/// Settings of the <c>loki</c> output (Fluent Bit's keys) and of the <c>kansoku</c> output, which is the same push
/// API on the Kansoku server with Kansoku's labels and protobuf.
/// </summary>
internal sealed record LokiConfig(
    HttpTransportOptions Transport,
    IReadOnlyList<LokiLabel> Labels,
    bool AutoKubernetesLabels,
    IReadOnlyList<RecordAccessor> RemoveKeys,
    LokiLineFormat LineFormat,
    bool Protobuf)
{
    public const string DefaultUri = "/loki/api/v1/push";
    public const int DefaultPort = 3100;

    /// <summary>
    /// The labels Kansoku's log store indexes, used when no <c>labels</c>/<c>label_keys</c> are configured:
    /// namespace, pod, container, app (pod label <c>app</c>, else <c>app.kubernetes.io/name</c>), node, stream.
    /// </summary>
    public static IReadOnlyList<LokiLabel> KansokuLabels { get; } =
    [
        DefaultLabel("app", "$kubernetes['labels']['app']", "$kubernetes['labels']['app.kubernetes.io/name']"),
        DefaultLabel("container", "$kubernetes['container_name']"),
        DefaultLabel("namespace", "$kubernetes['namespace_name']"),
        DefaultLabel("node", "$kubernetes['host']"),
        DefaultLabel("pod", "$kubernetes['pod_name']"),
        DefaultLabel("stream", "$stream"),
    ];

    public static LokiConfig FromSpec(ComponentSpec spec, bool kansoku)
    {
        var tenant = spec.Get("tenant_id");
        var transport = HttpTransportOptions.FromSpec(spec, DefaultPort, spec.Get("uri") ?? DefaultUri,
            path => path is "" or "/" ? DefaultUri : path,
            string.IsNullOrEmpty(tenant) ? null : [new("X-Scope-OrgID", tenant)]);

        var labels = new List<LokiLabel>();
        foreach (var property in spec.FindAll("labels"))
        {
            foreach (var item in SplitList(property.Value))
            {
                labels.Add(ParseLabel(item, property));
            }
        }
        foreach (var property in spec.FindAll("label_keys"))
        {
            foreach (var item in SplitList(property.Value))
            {
                if (!item.StartsWith('$'))
                {
                    throw new ConfigException(property.Location, property.Key, $"'{item}' is not a record accessor ($key['sub'])");
                }
                labels.Add(ParseLabel(item, property));
            }
        }
        if (labels.Count == 0)
        {
            labels.AddRange(KansokuLabels);
        }
        labels.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

        var removeKeys = new List<RecordAccessor>();
        foreach (var property in spec.FindAll("remove_keys"))
        {
            foreach (var item in SplitList(property.Value))
            {
                removeKeys.Add(RecordAccessor.Parse(item, property));
            }
        }

        var lineFormat = spec.Find("line_format");
        var format = lineFormat?.Value.Trim().ToLowerInvariant() switch
        {
            null or "json" => LokiLineFormat.Json,
            "key_value" => LokiLineFormat.KeyValue,
            _ => throw new ConfigException(lineFormat.Location, lineFormat.Key, $"expected json or key_value, got '{lineFormat.Value}'"),
        };

        return new LokiConfig(transport, labels, spec.GetBool("auto_kubernetes_labels", false), removeKeys, format,
            ParseProtobuf(spec, defaultProtobuf: kansoku));
    }

    private static bool ParseProtobuf(ComponentSpec spec, bool defaultProtobuf)
    {
        var protobuf = defaultProtobuf;
        foreach (var key in (ReadOnlySpan<string>)["format", "content_type"])
        {
            if (spec.Find(key) is not { } property)
            {
                continue;
            }
            protobuf = property.Value.Trim().ToLowerInvariant() switch
            {
                "protobuf" or "application/x-protobuf" => true,
                "json" or "application/json" => false,
                _ => throw new ConfigException(property.Location, property.Key, $"expected protobuf or json, got '{property.Value}'"),
            };
        }
        return protobuf;
    }

    private static LokiLabel ParseLabel(string item, ConfigProperty property)
    {
        if (item.StartsWith('$'))
        {
            var accessor = RecordAccessor.Parse(item, property);
            return new LokiLabel(LokiLabel.SanitizeName(accessor.LastKey), null, [accessor]);
        }
        var equals = item.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ConfigException(property.Location, property.Key, $"'{item}' is neither name=value nor a $record['accessor']");
        }
        var name = LokiLabel.SanitizeName(item.AsSpan(0, equals).Trim());
        var value = item[(equals + 1)..].Trim();
        return value.StartsWith('$')
            ? new LokiLabel(name, null, [RecordAccessor.Parse(value, property)])
            : new LokiLabel(name, value.Trim('"'), []);
    }

    /// <summary>Splits a comma list, keeping commas inside <c>['…']</c> accessors.</summary>
    private static List<string> SplitList(string value)
    {
        var items = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == ',' && depth == 0)
            {
                var item = value[start..i].Trim();
                if (item.Length > 0)
                {
                    items.Add(item);
                }
                start = i + 1;
            }
            else if (value[i] == '[')
            {
                depth++;
            }
            else if (value[i] == ']')
            {
                depth--;
            }
        }
        return items;
    }

    private static LokiLabel DefaultLabel(string name, params string[] patterns)
    {
        var accessors = new List<RecordAccessor>();
        foreach (var pattern in patterns)
        {
            accessors.Add(RecordAccessor.Parse(pattern, new ConfigProperty("labels", pattern, new SourceLocation("<kansoku defaults>", 0, 0))));
        }
        return new LokiLabel(name, null, accessors);
    }
}
