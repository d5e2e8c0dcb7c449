using System.Text.Json;

namespace Kansoku.Scrape.Operator;

/// <summary>An endpoint's tlsConfig: files on the server's disk; the Secret and ConfigMap forms are kept raw to be reported.</summary>
internal sealed class MonitorTlsConfig
{
    public string? CaFile { get; set; }
    public string? CertFile { get; set; }
    public string? KeyFile { get; set; }
    public string? ServerName { get; set; }
    public bool InsecureSkipVerify { get; set; }
    public JsonElement? Ca { get; set; }
    public JsonElement? Cert { get; set; }
    public JsonElement? KeySecret { get; set; }
}
