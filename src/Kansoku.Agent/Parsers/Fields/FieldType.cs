namespace Kansoku.Agent.Parsers.Fields;

/// <summary>A Types conversion (Fluent Bit: <c>Types key:integer key2:float</c>).</summary>
internal enum FieldType : byte
{
    String,
    Integer,
    Float,
    Bool,
    Hex,
}
