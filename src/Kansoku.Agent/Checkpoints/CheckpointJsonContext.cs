using System.Text.Json.Serialization;

namespace Kansoku.Agent.Checkpoints;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CheckpointFile))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;

internal sealed record CheckpointFile(int Version, List<Checkpoint> Files);
