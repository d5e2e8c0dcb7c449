using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Kansoku.Api.Contracts.Loki;
using Kansoku.Core.Labels;
using Kansoku.Server.Ingest;
using Kansoku.Storage.Logs;
using static Kansoku.Server.Tests.ProtobufWire;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Kansoku.Server.Tests;

/// <summary>
/// The push request reader against the parser it replaces: whatever Google.Protobuf's parser of push.proto makes of a
/// message (then labels parsed and timestamps converted as the server did), the reader makes the same, or refuses it
/// where Google.Protobuf refuses it, and only ever with a <see cref="FormatException"/>.
/// </summary>
public sealed class PushRequestReaderTests
{
    private const string Rejected = "rejected";

    private static readonly LabelSetCache s_labels = new();

    [Property(MaxTest = 300)]
    public Property Reads_what_the_generated_types_write() =>
        Prop.ForAll(GeneratedRequests().ToArbitrary(), request =>
        {
            var message = request.ToByteArray();
            var expected = GoogleOutcome(message);
            Assert.NotEqual(Rejected, expected);
            Assert.Equal(expected, ReaderOutcome(message));
        });

    [Property(MaxTest = 500)]
    public Property Reads_fields_in_any_order_repeated_unknown_or_not_text_as_Google_Protobuf_does() =>
        Prop.ForAll(WireRequests().ToArbitrary(), fields =>
        {
            var message = Encode(fields);
            Assert.Equal(GoogleOutcome(message), ReaderOutcome(message));
        });

    [Property(MaxTest = 1000)]
    public Property Damaged_messages_are_refused_where_Google_Protobuf_refuses_them() =>
        Prop.ForAll(WireRequests().ToArbitrary(), Damage().ToArbitrary(), (fields, damage) =>
        {
            var message = damage(Encode(fields));
            Assert.Equal(GoogleOutcome(message), ReaderOutcome(message));
        });

    [Property(MaxTest = 300)]
    public bool Any_bytes_decode_or_are_a_FormatException(byte[] body, bool compress) =>
        Decodes(compress ? Snappier.Snappy.CompressToArray(body) : body);

    [Theory]
    [InlineData("0C", false)] // an end-group tag with no group
    [InlineData("0B14", false)] // group 1 closed by the end-group tag of field 2
    [InlineData("0B", false)] // group 1 never closed
    [InlineData("0B13140C", true)] // group 2 inside group 1
    [InlineData("0200", false)] // field number 0
    [InlineData("0E", false)] // wire type 6
    [InlineData("0F", false)] // wire type 7
    [InlineData("0D0000", false)] // a fixed32 cut short
    [InlineData("09000000000000", false)] // a fixed64 cut short
    [InlineData("0AFFFFFFFF0F", false)] // a length of -1 as a 32-bit value
    [InlineData("2AFAFFFFFF0F", false)] // a length of -6, which would step back onto its own tag
    [InlineData("08808080808080808080807F", false)] // an 11-byte varint
    [InlineData("28FFFFFFFFFFFFFFFFFF7F", true)] // a 10-byte varint whose top bits do not fit 64
    [InlineData("A880808080808080800100", true)] // a 10-byte tag: its low 32 bits are field 5, a varint
    public void Edge_cases_of_the_wire_format_go_as_in_Google_Protobuf(string hex, bool accepted)
    {
        var message = Convert.FromHexString(hex);

        Assert.Equal(accepted ? "" : Rejected, GoogleOutcome(message));
        Assert.Equal(GoogleOutcome(message), ReaderOutcome(message));
    }

    [Fact]
    public void Skips_structured_metadata_and_the_stream_hash()
    {
        var message = Encode(
        [
            new Message(1,
            [
                new Bytes(1, "{app=\"web\"}"u8.ToArray()),
                new Varint(3, 0xDEADBEEF),
                new Message(2,
                [
                    new Message(1, [new Varint(1, 1_795_593_600), new Varint(2, 5)]),
                    new Bytes(2, "hello"u8.ToArray()),
                    new Message(3, [new Bytes(1, "trace_id"u8.ToArray()), new Bytes(2, "abc"u8.ToArray())]),
                ]),
            ]),
        ]);

        var stream = Assert.Single(PushRequestReader.Read(message, s_labels));

        Assert.Equal("{app=\"web\"}", stream.Labels.ToString());
        var entry = Assert.Single(stream.Entries);
        Assert.Equal(1_795_593_600_000_000_005, entry.TimestampUnixNano);
        Assert.Equal("hello", Encoding.UTF8.GetString(entry.Line.Span));
    }

    [Fact]
    public void Truncation_is_named_with_its_place()
    {
        // The entry's line claims 11 bytes and the entry ends after 10.
        var entry = Encode([new Bytes(2, "hello world"u8.ToArray())])[..^1];
        var inner = Encode([new Message(1, [new Bytes(1, "{a=\"b\"}"u8.ToArray()), new Bytes(2, entry)])]);
        var outer = Encode([new Message(1, [new Bytes(1, "{a=\"b\"}"u8.ToArray()), new Message(2, [new Bytes(2, "hello world"u8.ToArray())])])])[..^3];

        Assert.Equal("the push body is not a valid logproto.PushRequest: streams[0].entries[0]: line: 11 bytes long but only 10 are left (truncated?)",
            Assert.Throws<FormatException>(() => PushRequestReader.Read(inner, s_labels)).Message);
        Assert.Equal("the push body is not a valid logproto.PushRequest: streams[0]: stream: 24 bytes long but only 21 are left (truncated?)",
            Assert.Throws<FormatException>(() => PushRequestReader.Read(outer, s_labels)).Message);
        Assert.Equal(Rejected, GoogleOutcome(inner));
        Assert.Equal(Rejected, GoogleOutcome(outer));
    }

    [Fact]
    public void A_line_that_is_not_utf8_is_refused_as_Google_Protobuf_refuses_it()
    {
        var message = Encode([new Message(1, [new Bytes(1, "{a=\"b\"}"u8.ToArray()), new Message(2, [new Bytes(2, [0x61, 0xC3, 0x28])])])]);

        var error = Assert.Throws<FormatException>(() => PushRequestReader.Read(message, s_labels));

        Assert.Equal("the push body is not a valid logproto.PushRequest: streams[0].entries[0]: line is not valid UTF-8", error.Message);
        Assert.Throws<InvalidProtocolBufferException>(() => PushRequest.Parser.ParseFrom(message));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(101)]
    public void Groups_nest_as_deep_as_Google_Protobuf_allows(int depth)
    {
        Field group = new Varint(7, 1);
        for (var i = 0; i < depth; i++)
        {
            group = new Group(9, [group]);
        }
        var message = Encode([group]);

        Assert.Equal(depth <= 100 ? "" : Rejected, GoogleOutcome(message));
        Assert.Equal(GoogleOutcome(message), ReaderOutcome(message));
    }

    [Fact]
    public void A_snappy_header_claiming_more_than_the_body_can_hold_is_refused_before_it_is_allocated()
    {
        // Varint 0x7FFFFFFF (2 GiB) and one literal byte.
        byte[] body = [0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x41];
        using var arena = new ByteArena();

        var error = Assert.Throws<FormatException>(() => LokiPushDecoder.DecodeProtobuf(body, arena));

        Assert.Contains("claims 2147483647 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoding_a_mebibyte_allocates_a_few_bytes_per_line()
    {
        var request = new PushRequest();
        var stdout = new StreamAdapter { Labels = "{container=\"web\", namespace=\"shop\", pod=\"web-1\", stream=\"stdout\"}" };
        var stderr = new StreamAdapter { Labels = "{container=\"web\", namespace=\"shop\", pod=\"web-1\", stream=\"stderr\"}" };
        var lines = 0;
        for (var bytes = 0; bytes < 1 << 20; lines++)
        {
            var line = $"{{\"level\":\"info\",\"message\":\"request completed\",\"path\":\"/api/orders/{lines}\",\"status\":200," +
                       $"\"duration_ms\":{lines % 480},\"trace_id\":\"{lines * 2654435761L:x32}\",\"service\":\"web\"}}";
            (lines % 7 == 0 ? stderr : stdout).Entries.Add(new EntryAdapter
            {
                Timestamp = new Timestamp { Seconds = 1_795_593_600 + lines, Nanos = lines },
                Line = line,
            });
            bytes += line.Length;
        }
        request.Streams.Add([stdout, stderr]);
        var body = Snappier.Snappy.CompressToArray(request.ToByteArray());
        using (var warmUp = new ByteArena())
        {
            LokiPushDecoder.DecodeProtobuf(body, warmUp);
        }

        using var arena = new ByteArena();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var streams = LokiPushDecoder.DecodeProtobuf(body, arena);
        var perLine = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)lines;

        Assert.Equal(lines, streams[0].Entries.Count + streams[1].Entries.Count);
        // Google.Protobuf with a UTF-16 string and a byte[] per line allocated about 1,100 bytes per line of this size
        // (~200 bytes); what remains is the entry itself (24 bytes) in its stream's list.
        Assert.True(perLine < 32, $"{perLine:F1} bytes allocated per line");
    }

    private static bool Decodes(byte[] body)
    {
        using var arena = new ByteArena();
        try
        {
            LokiPushDecoder.DecodeProtobuf(body, arena);
        }
        catch (FormatException)
        {
        }
        return true;
    }

    /// <summary>What the server made of a message before: Google.Protobuf, then labels parsed and timestamps converted.</summary>
    private static string GoogleOutcome(byte[] message)
    {
        try
        {
            var request = PushRequest.Parser.ParseFrom(message);
            var streams = new List<LogStreamBatch>();
            for (var i = 0; i < request.Streams.Count; i++)
            {
                var labels = LabelSetParser.Parse(request.Streams[i].Labels);
                LokiPushDecoder.Validate(labels, i);
                var batch = new LogStreamBatch(labels);
                foreach (var entry in request.Streams[i].Entries)
                {
                    var nanos = entry.Timestamp is null ? 0 : ((Int128)entry.Timestamp.Seconds * 1_000_000_000) + entry.Timestamp.Nanos;
                    if (nanos < long.MinValue || nanos > long.MaxValue)
                    {
                        return Rejected;
                    }
                    batch.Entries.Add(new LogEntry((long)nanos, Encoding.UTF8.GetBytes(entry.Line)));
                }
                streams.Add(batch);
            }
            return Render(streams);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
        {
            return Rejected;
        }
    }

    private static string ReaderOutcome(byte[] message)
    {
        try
        {
            return Render(PushRequestReader.Read(message, s_labels));
        }
        catch (FormatException)
        {
            return Rejected;
        }
    }

    private static string Render(List<LogStreamBatch> streams)
    {
        var text = new StringBuilder();
        foreach (var stream in streams)
        {
            text.Append(stream.Labels).Append('\n');
            foreach (var entry in stream.Entries)
            {
                text.Append(entry.TimestampUnixNano).Append(' ').Append(Convert.ToHexString(entry.Line.Span)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static Gen<PushRequest> GeneratedRequests()
    {
        var timestamp = Gen.Frequency(
            (1, Gen.Constant<Timestamp?>(null)),
            (1, Gen.Constant<Timestamp?>(new Timestamp())),
            (4, from seconds in Seconds(inRange: true) from nanos in Nanos() select (Timestamp?)new Timestamp { Seconds = seconds, Nanos = nanos }));
        var entry = from time in timestamp
                    from line in Texts()
                    select new EntryAdapter { Timestamp = time, Line = line };
        var stream = from labels in ValidLabelTexts()
                     from entries in Gen.ListOf(entry)
                     from hash in ArbMap.Default.GeneratorFor<ulong>()
                     select Stream(labels, entries, hash);
        return Gen.ListOf(stream).Select(streams =>
        {
            var request = new PushRequest();
            request.Streams.Add(streams);
            return request;
        });

        static StreamAdapter Stream(string labels, IEnumerable<EntryAdapter> entries, ulong hash)
        {
            var stream = new StreamAdapter { Labels = labels, Hash = hash };
            stream.Entries.Add(entries);
            return stream;
        }
    }

    /// <summary>PushRequests field by field: known fields in any order and any number, unknown ones of every wire type.</summary>
    private static Gen<Field[]> WireRequests()
    {
        var timestampField = Gen.Frequency(
            (3, Seconds(inRange: false).Select(s => (Field)new Varint(1, unchecked((ulong)s)))),
            (3, Nanos().Select(n => (Field)new Varint(2, unchecked((ulong)(long)n)))),
            (1, Unknown(0, [1 << 3, 2 << 3])));
        var entryField = Gen.Frequency(
            (4, Gen.ListOf(timestampField).Select(fields => (Field)new Message(1, fields))),
            (5, Lines().Select(line => (Field)new Bytes(2, line))),
            (1, from name in Texts() from value in Texts()
                select (Field)new Message(3, [new Bytes(1, Encoding.UTF8.GetBytes(name)), new Bytes(2, Encoding.UTF8.GetBytes(value))])),
            (1, Unknown(0, [(1 << 3) | 2, (2 << 3) | 2])));
        var streamField = Gen.Frequency(
            (1, LabelTexts().Select(labels => (Field)new Bytes(1, Encoding.UTF8.GetBytes(labels)))),
            (6, Gen.ListOf(entryField).Select(fields => (Field)new Message(2, fields))),
            (1, ArbMap.Default.GeneratorFor<ulong>().Select(hash => (Field)new Varint(3, hash))),
            (1, Unknown(0, [(1 << 3) | 2, (2 << 3) | 2])));
        var stream = from labels in LabelTexts()
                     from others in Gen.ListOf(streamField)
                     from fields in Gen.Shuffle(others.Prepend(new Bytes(1, Encoding.UTF8.GetBytes(labels))))
                     select (Field)new Message(1, fields);
        return Gen.Frequency((6, stream), (1, Unknown(0, [(1 << 3) | 2]))).ArrayOf();
    }

    /// <summary>A field no message here knows: any number that is not one of <paramref name="knownTags"/>, any wire type.</summary>
    private static Gen<Field> Unknown(int depth, uint[] knownTags) =>
        from number in Gen.Choose(1, 20)
        from wireType in Gen.Elements(0, 1, 2, 3, 5)
        where !knownTags.Contains((uint)((number << 3) | wireType))
        from field in wireType switch
        {
            0 => ArbMap.Default.GeneratorFor<ulong>().Select(v => (Field)new Varint(number, v)),
            1 => ArbMap.Default.GeneratorFor<ulong>().Select(v => (Field)new Fixed64(number, v)),
            2 => ArbMap.Default.GeneratorFor<byte[]>().Select(v => (Field)new Bytes(number, v)),
            5 => ArbMap.Default.GeneratorFor<uint>().Select(v => (Field)new Fixed32(number, v)),
            _ => (depth < 2 ? Gen.ListOf(Unknown(depth + 1, []), 2) : Gen.Constant(new List<Field>())).Select(f => (Field)new Group(number, f)),
        }
        select field;

    /// <summary>Within what Unix nanoseconds hold (the years 1677 to 2262), or sometimes at and beyond its ends.</summary>
    private static Gen<long> Seconds(bool inRange) => Gen.Frequency(
        (3, Gen.Constant(0L)),
        (inRange ? 0 : 1, Gen.Elements(9_223_372_036L, -9_223_372_037L, long.MaxValue, long.MinValue)),
        (20, Gen.Choose(-9_000_000, 9_000_000).Select(s => s * 1000L)));

    /// <summary>Any int32, negative ones too (which the server adds as they are).</summary>
    private static Gen<int> Nanos() => Gen.Frequency(
        (1, Gen.Constant(0)),
        (3, Gen.Choose(0, 999_999_999)),
        (1, ArbMap.Default.GeneratorFor<int>()));

    private static Gen<string> Texts() => Gen.Frequency(
        (4, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")),
        (2, Gen.Elements("", "日本語のログ行", "emoji 🎉 ok", "Ünïcödé\ttab", "\"quoted\" \\ back")),
        (1, Gen.Choose(120, 5000).Select(n => new string('x', n) + "é")));

    /// <summary>Line bytes: UTF-8 text mostly, now and then bytes that are not UTF-8 (which fail the whole request).</summary>
    private static Gen<byte[]> Lines() => Gen.Frequency(
        (40, Texts().Select(Encoding.UTF8.GetBytes)),
        (1, ArbMap.Default.GeneratorFor<byte[]>()),
        (1, Gen.Elements<byte[]>([0xC3, 0x28], [0xFF], [0x61, 0xED, 0xA0, 0x80])));

    /// <summary>Label texts in Loki's notation, valid mostly; some with no labels or bad names, which the server refuses.</summary>
    private static Gen<string> LabelTexts() =>
        Gen.Frequency((30, ValidLabelTexts()), (1, Gen.Elements("{}", "{1a=\"b\"}", "app=\"web\"", "")));

    private static Gen<string> ValidLabelTexts()
    {
        var name = Gen.Elements("app", "namespace", "pod", "job", "_x", "a1");
        var value = Gen.Frequency((3, Gen.Elements("web", "shop", "web-1", "é")), (1, ArbMap.Default.GeneratorFor<string>().Where(s => !string.IsNullOrEmpty(s))));
        var label = from n in name from v in value select $"{n}=\"{v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        return Gen.NonEmptyListOf(label).Select(labels => "{" + string.Join(", ", labels) + "}");
    }

    /// <summary>Cuts, overwritten bytes, inserted and removed bytes.</summary>
    private static Gen<Func<byte[], byte[]>> Damage() =>
        from kind in Gen.Choose(0, 3)
        from position in Gen.Choose(0, int.MaxValue)
        from value in ArbMap.Default.GeneratorFor<byte>()
        select (Func<byte[], byte[]>)(message =>
        {
            if (message.Length == 0)
            {
                return [value];
            }
            var at = position % message.Length;
            return kind switch
            {
                0 => message[..at],
                1 => [.. message[..at], value, .. message[(at + 1)..]],
                2 => [.. message[..at], value, .. message[at..]],
                _ => [.. message[..at], .. message[(at + 1)..]],
            };
        });
}
