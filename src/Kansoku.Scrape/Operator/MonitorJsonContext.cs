using System.Text.Json.Serialization;

namespace Kansoku.Scrape.Operator;

/// <summary>Source-generated readers for the monitor specs (NativeAOT: no reflection); KubernetesJson knows only built-in kinds.</summary>
// A null where the CRD has a list or object is reported as malformed rather than left to fail later.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(MonitorSpec))]
internal sealed partial class MonitorJsonContext : JsonSerializerContext;
