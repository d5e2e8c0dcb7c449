using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kansoku.Scrape.Operator;

/// <summary>Reads an IntOrString port, written as a JSON number or string.</summary>
internal sealed class PortReferenceConverter : JsonConverter<PortReference>
{
    public override PortReference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => new PortReference(null, reader.GetInt32()),
        JsonTokenType.String => new PortReference(reader.GetString(), 0),
        _ => throw new JsonException("a port is a name or a number"),
    };

    public override void Write(Utf8JsonWriter writer, PortReference value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Name is null)
        {
            writer.WriteNumberValue(value.Number);
        }
        else
        {
            writer.WriteStringValue(value.Name);
        }
    }
}
