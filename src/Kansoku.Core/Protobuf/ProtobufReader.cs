using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Kansoku.Core.Protobuf;

/// <summary>
/// The protobuf wire format read field by field over one span, strings and bytes given as ranges of it rather than
/// copies. Google.Protobuf has no public reader of embedded messages short of decoding them into objects (its
/// <c>PushLimit</c> is internal), and those objects turn every string field into a UTF-16 string: the ingest readers of
/// Loki's PushRequest and Prometheus' WriteRequest are built on this instead. It accepts what Google.Protobuf's parser
/// accepts: strings must be UTF-8, a length past the end or a varint longer than 10 bytes is refused, and embedded
/// messages and groups nest at most <see cref="MaxDepth"/> deep. Every wire type can be skipped. Problems are
/// <see cref="ProtobufFormatException"/>s naming the field being read; a message reader adds where it was.
/// </summary>
public ref struct ProtobufReader
{
    /// <summary>Google.Protobuf's default recursion limit, which counts embedded messages and groups alike.</summary>
    public const int MaxDepth = 100;

    /// <summary>What errors in fields a reader skips call them; a constant, so skipping builds no strings.</summary>
    private const string UnknownField = "an unknown field";

    private readonly ReadOnlySpan<byte> _message;
    private int _position;

    /// <summary>The end of the (embedded) message being read.</summary>
    private int _end;

    private int _depth;

    public ProtobufReader(ReadOnlySpan<byte> message)
    {
        _message = message;
        _end = message.Length;
    }

    /// <summary>Where the next field starts, an offset into the whole message.</summary>
    public readonly int Position => _position;

    /// <summary>The bytes of a range this reader returned.</summary>
    public readonly ReadOnlySpan<byte> Slice((int Start, int Length) range) => _message.Slice(range.Start, range.Length);

    /// <summary>Goes back to <paramref name="position"/>, an earlier <see cref="Position"/> in the current message (a second pass).</summary>
    public void Rewind(int position)
    {
        if (position < 0 || position > _position)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "must be a position already read in this message");
        }
        _position = position;
    }

    /// <summary>The next field's tag (field number &lt;&lt; 3 | wire type), or false at the end of the current message.</summary>
    public bool TryReadTag(out uint tag)
    {
        if (_position >= _end)
        {
            tag = 0;
            return false;
        }
        // A tag is a 32-bit varint; Google.Protobuf drops the bits of a longer one, and so does this.
        tag = unchecked((uint)ReadVarint("a field tag"));
        if (tag >> 3 == 0)
        {
            throw new ProtobufFormatException("a field numbered 0");
        }
        return true;
    }

    /// <summary>Narrows reading to the embedded message that starts here; returns the outer end for <see cref="LeaveMessage"/>.</summary>
    public int EnterMessage(string field)
    {
        var length = ReadLength(field);
        if (_depth >= MaxDepth)
        {
            throw new ProtobufFormatException($"{field}: messages and groups nested more than {MaxDepth} deep");
        }
        _depth++;
        var outerEnd = _end;
        _end = _position + length;
        return outerEnd;
    }

    /// <summary>Steps past the rest of the embedded message and back into the one around it.</summary>
    public void LeaveMessage(int outerEnd)
    {
        _depth--;
        _position = _end;
        _end = outerEnd;
    }

    /// <summary>A string field's UTF-8 bytes, as a range of the message.</summary>
    public (int Start, int Length) ReadString(string field)
    {
        var range = ReadBytes(field);
        if (!Utf8.IsValid(Slice(range)))
        {
            throw new ProtobufFormatException($"{field} is not valid UTF-8");
        }
        return range;
    }

    /// <summary>A bytes (or embedded message) field's payload, as a range of the message.</summary>
    public (int Start, int Length) ReadBytes(string field)
    {
        var length = ReadLength(field);
        var start = _position;
        _position += length;
        return (start, length);
    }

    /// <summary>The length of a length-delimited field, checked against what is left of the message.</summary>
    public int ReadLength(string field)
    {
        // Google.Protobuf reads a length as a 32-bit value and refuses a negative one.
        var length = unchecked((int)ReadVarint(field));
        if (length < 0)
        {
            throw new ProtobufFormatException($"{field}: a negative length");
        }
        if (length > _end - _position)
        {
            throw new ProtobufFormatException($"{field}: {length} bytes long but only {_end - _position} are left (truncated?)");
        }
        return length;
    }

    public void SkipLengthDelimited(string field)
    {
        // Not `_position += ReadLength(field)`: that adds to the position from before the length was read.
        var length = ReadLength(field);
        _position += length;
    }

    /// <summary>A fixed64 field as a double (wire type 1).</summary>
    public double ReadDouble(string field)
    {
        EnsureLeft(8, field);
        var bits = BinaryPrimitives.ReadUInt64LittleEndian(_message.Slice(_position, 8));
        _position += 8;
        return BitConverter.UInt64BitsToDouble(bits);
    }

    /// <summary>An int64 field (a varint; negative values take 10 bytes).</summary>
    public long ReadInt64(string field) => unchecked((long)ReadVarint(field));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint(string field)
    {
        if (_position < _end && _message[_position] < 0x80)
        {
            return _message[_position++];
        }
        return ReadLongVarint(field);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadLongVarint(string field)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _end)
            {
                throw new ProtobufFormatException($"{field}: the varint is cut off (truncated?)");
            }
            var next = _message[_position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }
        throw new ProtobufFormatException($"{field}: a varint longer than 10 bytes");
    }

    /// <summary>Steps over a field the reader does not know, of any wire type.</summary>
    public void SkipField(uint tag)
    {
        switch (tag & 7)
        {
            case 0:
                ReadVarint(UnknownField);
                break;
            case 1:
                SkipFixed(8);
                break;
            case 2:
                SkipLengthDelimited(UnknownField);
                break;
            case 3:
                SkipGroup(tag >> 3);
                break;
            case 4:
                throw new ProtobufFormatException($"an end-group tag (field {tag >> 3}) outside any group");
            case 5:
                SkipFixed(4);
                break;
            default:
                throw new ProtobufFormatException($"field {tag >> 3} has the wire type {tag & 7}, which does not exist");
        }
    }

    private void SkipFixed(int bytes)
    {
        EnsureLeft(bytes, UnknownField);
        _position += bytes;
    }

    private readonly void EnsureLeft(int bytes, string field)
    {
        if (bytes > _end - _position)
        {
            throw new ProtobufFormatException($"{field}: {bytes} bytes but only {_end - _position} are left (truncated?)");
        }
    }

    private void SkipGroup(uint field)
    {
        if (_depth >= MaxDepth)
        {
            throw new ProtobufFormatException($"group {field}: messages and groups nested more than {MaxDepth} deep");
        }
        _depth++;
        while (true)
        {
            if (!TryReadTag(out var tag))
            {
                throw new ProtobufFormatException($"group {field} has no end-group tag (truncated?)");
            }
            if ((tag & 7) == 4)
            {
                if (tag >> 3 != field)
                {
                    throw new ProtobufFormatException($"group {field} is closed by the end-group tag of field {tag >> 3}");
                }
                break;
            }
            SkipField(tag);
        }
        _depth--;
    }
}
