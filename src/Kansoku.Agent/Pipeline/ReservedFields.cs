namespace Kansoku.Agent.Pipeline;

/// <summary>
/// Record keys the writer produces itself. When parsed fields carry one of them, the field wins and the writer leaves
/// its own out: a record never has a key twice (Elasticsearch rejects such documents).
/// </summary>
[Flags]
internal enum ReservedFields : byte
{
    None = 0,
    Time = 1,
    Stream = 2,
    Log = 4,
    Level = 8,
    Kubernetes = 16,
}

internal static class ReservedFieldNames
{
    public static ReservedFields Of(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("log"u8) => ReservedFields.Log,
        4 when name.SequenceEqual("time"u8) => ReservedFields.Time,
        5 when name.SequenceEqual("level"u8) => ReservedFields.Level,
        6 when name.SequenceEqual("stream"u8) => ReservedFields.Stream,
        10 when name.SequenceEqual("kubernetes"u8) => ReservedFields.Kubernetes,
        _ => ReservedFields.None,
    };

    public static ReservedFields Of(System.Text.Json.Nodes.JsonObject fields)
    {
        var found = ReservedFields.None;
        if (fields.ContainsKey("log"))
        {
            found |= ReservedFields.Log;
        }
        if (fields.ContainsKey("time"))
        {
            found |= ReservedFields.Time;
        }
        if (fields.ContainsKey("level"))
        {
            found |= ReservedFields.Level;
        }
        if (fields.ContainsKey("stream"))
        {
            found |= ReservedFields.Stream;
        }
        if (fields.ContainsKey("kubernetes"))
        {
            found |= ReservedFields.Kubernetes;
        }
        return found;
    }
}
