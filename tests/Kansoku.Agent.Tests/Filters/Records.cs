using System.Text;
using Kansoku.Agent.Config;
using Kansoku.Agent.Kubernetes;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Tests.Filters;

/// <summary>Builds the records and filter sections the filter tests use.</summary>
internal static class Records
{
    public static readonly KubernetesMetadata Webapp = new()
    {
        NamespaceName = "demo",
        PodName = "webapp-7d4b9c6f5d-x2x8k",
        PodId = "3f1c2a9e-5b7d-4e21-9a0c-6d8e2f4b1a77",
        ContainerName = "webapp",
        DockerId = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        Host = "worker-1",
        ContainerImage = "ghcr.io/example/webapp:1.4.2",
        Labels = new Dictionary<string, string> { ["app"] = "webapp", ["app.kubernetes.io/name"] = "webapp", ["tier"] = "frontend" },
        Annotations = new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" },
        NamespaceLabels = new Dictionary<string, string> { ["team"] = "shop" },
        FromApiServer = true,
    };

    public static LogRecord Line(string content, string? fieldsJson = null, KubernetesMetadata? kubernetes = null)
    {
        var record = new LogRecord
        {
            Content = Encoding.UTF8.GetBytes(content),
            Stream = LogStream.Stdout,
            TimeUnixNano = 1_732_521_612_123_456_789,
            Kubernetes = kubernetes,
        };
        if (fieldsJson is not null)
        {
            record.SetRawFields(Encoding.UTF8.GetBytes(fieldsJson));
        }
        return record;
    }

    public static ComponentSpec Filter(string type, params (string Key, string Value)[] properties)
    {
        var spec = new ComponentSpec(ComponentKind.Filter, type, new SourceLocation("fluent-bit.conf", 40, 1));
        var line = 41;
        foreach (var (key, value) in properties)
        {
            spec.Add(key, value, new SourceLocation("fluent-bit.conf", line++, 5));
        }
        return spec;
    }

    public static string FieldsJson(LogRecord record) =>
        record.TryGetRawFields(out var raw) ? Encoding.UTF8.GetString(raw.Span) : record.Fields.ToJsonString();
}
