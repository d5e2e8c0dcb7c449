using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kansoku.Scrape.Operator;

/// <summary>
/// One entry of a ServiceMonitor's endpoints or a PodMonitor's podMetricsEndpoints. The Secret-backed credentials
/// are kept only as raw JSON, to know they were asked for: Kansoku does not read Secrets.
/// </summary>
internal sealed class MonitorEndpoint
{
    /// <summary>Name of the service port (ServiceMonitor) or container port (PodMonitor).</summary>
    public string? Port { get; set; }
    /// <summary>PodMonitor: container port number.</summary>
    public int? PortNumber { get; set; }
    /// <summary>Deprecated by the operator but still honoured: the pod's container port, by name or number.</summary>
    [JsonConverter(typeof(PortReferenceConverter))]
    public PortReference? TargetPort { get; set; }
    public string? Path { get; set; }
    public string? Scheme { get; set; }
    public Dictionary<string, List<string>>? Params { get; set; }
    public string? Interval { get; set; }
    public string? ScrapeTimeout { get; set; }
    public bool HonorLabels { get; set; }
    public bool? HonorTimestamps { get; set; }
    public bool? FollowRedirects { get; set; }
    public bool? EnableHttp2 { get; set; }
    /// <summary>Whether pods in phase Failed or Succeeded are dropped; the operator's default is yes.</summary>
    public bool? FilterRunning { get; set; }
    public string? BearerTokenFile { get; set; }
    public MonitorTlsConfig? TlsConfig { get; set; }
    public List<MonitorRelabelConfig> Relabelings { get; set; } = [];
    public List<MonitorRelabelConfig> MetricRelabelings { get; set; } = [];
    public JsonElement? BasicAuth { get; set; }
    public JsonElement? Authorization { get; set; }
    [JsonPropertyName("oauth2")]
    public JsonElement? OAuth2 { get; set; }
    public JsonElement? BearerTokenSecret { get; set; }
}
