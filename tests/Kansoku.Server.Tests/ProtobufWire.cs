using Google.Protobuf;

namespace Kansoku.Server.Tests;

/// <summary>
/// Protobuf fields as Google.Protobuf's <see cref="CodedOutputStream"/> writes them, for messages the generated types
/// cannot express: fields in any order, repeated, unknown, of every wire type, or with bytes that are not UTF-8.
/// </summary>
internal static class ProtobufWire
{
    public abstract record Field(int Number)
    {
        public abstract void WriteTo(CodedOutputStream output);
    }

    public sealed record Varint(int Number, ulong Value) : Field(Number)
    {
        public override void WriteTo(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.Varint);
            output.WriteUInt64(Value);
        }
    }

    public sealed record Fixed32(int Number, uint Value) : Field(Number)
    {
        public override void WriteTo(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.Fixed32);
            output.WriteFixed32(Value);
        }
    }

    public sealed record Fixed64(int Number, ulong Value) : Field(Number)
    {
        public override void WriteTo(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.Fixed64);
            output.WriteFixed64(Value);
        }
    }

    /// <summary>A length-delimited field: a string, bytes, or anything else as raw bytes.</summary>
    public sealed record Bytes(int Number, byte[] Value) : Field(Number)
    {
        public override void WriteTo(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(Value));
        }

        public override string ToString() => $"Bytes({Number}, {Convert.ToHexString(Value)})";
    }

    public sealed record Message(int Number, IReadOnlyList<Field> Fields) : Field(Number)
    {
        public override void WriteTo(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(Encode(Fields)));
        }

        public override string ToString() => $"Message({Number}, [{string.Join(", ", Fields)}])";
    }

    public sealed record Group(int Number, IReadOnlyList<Field> Fields) : Field(Number)
    {
        public override void WriteTo(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.StartGroup);
            foreach (var field in Fields)
            {
                field.WriteTo(output);
            }
            output.WriteTag(Number, WireFormat.WireType.EndGroup);
        }

        public override string ToString() => $"Group({Number}, [{string.Join(", ", Fields)}])";
    }

    public static byte[] Encode(IEnumerable<Field> fields)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            foreach (var field in fields)
            {
                field.WriteTo(output);
            }
        }
        return buffer.ToArray();
    }
}
