using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Core.Labels;
using Kansoku.LogStore.Binary;
using Kansoku.LogStore.Parts.Shapes;
using Kansoku.Storage.Logs;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

/// <summary>JSON lines stored column-wise come back byte for byte, are smaller, and bad columns are errors, not crashes.</summary>
public sealed class ShapedBlockTests
{
    private static readonly LabelSet s_stream = LabelSet.From(("app", "shaped"));

    private static List<string> Leaves(string line)
    {
        var leaves = new List<JsonLeaf>();
        using var paths = new ByteBuffer();
        using var path = new ByteBuffer();
        var bytes = Encoding.UTF8.GetBytes(line);
        if (!JsonLineSplitter.TrySplit(bytes, leaves, paths, path))
        {
            return ["(whole)"];
        }
        return leaves.Select(l => Encoding.UTF8.GetString(paths.Span.Slice(l.PathStart, l.PathLength)).Replace('\0', '.')
            + "=" + Encoding.UTF8.GetString(bytes.AsSpan(l.ValueStart, l.ValueEnd - l.ValueStart))).ToList();
    }

    [Fact]
    public void Objects_split_into_leaf_values_with_their_key_paths()
    {
        Assert.Equal(["level=\"info\"", "n=3", "ok=true", "none=null"], Leaves("""{"level":"info","n":3,"ok":true,"none":null}"""));
        Assert.Equal(["kubernetes.pod_name=\"web-1\"", "kubernetes.labels.app=\"web\"", "tags=[1, {\"x\": 2}]"],
            Leaves("""{ "kubernetes": {"pod_name": "web-1", "labels": {"app": "web"}}, "tags": [1, {"x": 2}] }"""));
        Assert.Equal(["a.b.c.d={\"e\":1}"], Leaves("""{"a":{"b":{"c":{"d":{"e":1}}}}}"""));
        Assert.Equal(["k\\u0041=\"v\\\"q\"", "k\\u0041=2"], Leaves("""{"k\u0041":"v\"q","k\u0041":2}"""));
        Assert.Empty(Leaves("""{ }"""));
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("[1,2]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"a\":1} trailing")]
    [InlineData("{\"a\":1}{\"b\":2}")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{'a':1}")]
    [InlineData("")]
    public void Lines_that_are_not_one_JSON_object_are_kept_whole(string line) => Assert.Equal(["(whole)"], Leaves(line));

    [Property(MaxTest = 60)]
    public Property Every_line_comes_back_byte_for_byte_from_flushed_and_merged_parts() =>
        Prop.ForAll(LineGen.ListOf().ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), (lines, blockChoice) =>
        {
            var blockRawBytes = new[] { 1 << 10, 4 << 10, 64 << 10, 256 << 10 }[blockChoice];
            var stored = lines.Select(l => l.Bytes).ToList();
            Assert.Equal(stored, RoundTrip(stored, blockRawBytes));
        });

    [Fact]
    public void Blocks_of_JSON_lines_are_smaller_column_wise_than_as_whole_lines()
    {
        var random = new Random(7);
        var levels = new[] { "info", "info", "info", "warn", "error", "debug" };
        var paths = new[] { "/api/orders", "/api/cart", "/health", "/api/users/42", "/login" };
        var lines = new List<byte[]>();
        var time = new DateTime(2025, 11, 25, 12, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 20_000; i++)
        {
            time = time.AddTicks(random.Next(1, 5_000_000));
            lines.Add(Encoding.UTF8.GetBytes(
                $$"""{"time":"{{time:O}}","level":"{{levels[random.Next(levels.Length)]}}","msg":"request done","path":"{{paths[random.Next(paths.Length)]}}","status":{{(random.Next(20) == 0 ? 500 : 200)}},"ms":{{random.Next(1, 900)}},"trace":"{{random.NextInt64():x16}}"}"""));
        }
        var whole = PartBytes(lines, jsonFieldColumns: false);
        var columnWise = PartBytes(lines, jsonFieldColumns: true);
        Assert.True(columnWise < whole * 0.85, $"column-wise {columnWise} bytes, whole lines {whole} bytes");
    }

    [Property(MaxTest = 300)]
    public Property A_damaged_shapes_or_field_column_is_an_InvalidDataException_never_a_crash() =>
        Prop.ForAll(LineGen.NonEmptyListOf().ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 255).ToArbitrary(),
            (lines, where, value) =>
            {
                using var shaper = new BlockShaper();
                foreach (var line in lines)
                {
                    shaper.Add(line.Bytes);
                }
                using var rawLines = new ByteBuffer();
                using var shapes = new ByteBuffer();
                using var columns = new ByteBuffer();
                shaper.WriteLines(rawLines);
                shaper.WriteShapes(shapes);
                var fields = new (int Offset, int Length)[shaper.FieldCount];
                for (var f = 0; f < fields.Length; f++)
                {
                    var start = columns.Length;
                    shaper.WriteValues(f, columns);
                    fields[f] = (start, columns.Length - start);
                }
                var total = lines.Sum(l => l.Bytes.Length);
                var buffers = new[] { shapes.Span.ToArray(), rawLines.Span.ToArray(), columns.Span.ToArray() };
                var target = buffers[where % 3];
                if (target.Length > 0)
                {
                    target[(where / 3) % target.Length] = (byte)value;
                }
                var destination = new byte[total];
                var starts = new int[lines.Count + 1];
                using var decoder = new ShapedBlockDecoder();
                try
                {
                    decoder.Rebuild(buffers[0], buffers[1], buffers[2], fields, lines.Count, destination, starts);
                }
                catch (InvalidDataException)
                {
                    // Detected: the block is reported and skipped.
                }
            });

    /// <summary>A line for the round trip: mostly JSON objects (random whitespace, escapes, nesting, duplicates), some not.</summary>
    public sealed record Line(byte[] Bytes)
    {
        public override string ToString() => Encoding.UTF8.GetString(Bytes);
    }

    private static Gen<Line> LineGen =>
        Gen.Frequency(
            (6, JsonObject(0).Select(s => new Line(Encoding.UTF8.GetBytes(s)))),
            (1, Gen.Elements("plain text 1", "", "   ", "{not json", "[1,2,3]", "{\"a\":1} tail", "  at Foo.Bar()").Select(s => new Line(Encoding.UTF8.GetBytes(s)))),
            (1, Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(b => new Line(b))));

    private static Gen<string> Space => Gen.Elements("", "", "", " ", "  ", "\t", "\n", " \r\n ");

    private static Gen<string> Key => Gen.Elements("level", "msg", "a", "b", "ts", "k\\u0041", "kA", "ключ", "日本語", "", "a b", "x\\\"y", "n");

    private static Gen<string> StringValue =>
        Gen.Elements("info", "", "line with \\\"quotes\\\" and \\\\ slash", "\\u00e9t\\u00e9", "日本", "tab\\there", "</script>", "a\\nb")
            .Select(s => "\"" + s + "\"");

    private static Gen<string> Scalar =>
        Gen.OneOf(StringValue, Gen.Elements("0", "-1", "3.25", "1e-7", "12345678901234567890", "true", "false", "null"));

    private static Gen<string> Value(int depth) =>
        depth >= 6
            ? Scalar
            : Gen.Frequency(
                (6, Scalar),
                (1, JsonObject(depth + 1)),
                (1, from s1 in Space
                    from items in Scalar.ListOf()
                    from s2 in Space
                    select "[" + s1 + string.Join("," + s1, items) + s2 + "]"));

    private static Gen<string> JsonObject(int depth) =>
        from open in Space
        from members in (from k in Key
                         from s1 in Space
                         from s2 in Space
                         from v in Value(depth)
                         from s3 in Space
                         select s1 + "\"" + k + "\"" + s2 + ":" + s3 + v).ListOf()
        from close in Space
        select open + "{" + string.Join(",", members) + close + "}" + (depth == 0 ? close : "");

    private static List<byte[]> RoundTrip(List<byte[]> lines, int blockRawBytes)
    {
        using var directory = new TempDirectory();
        var messages = new List<string>();
        var options = Options() with { BlockRawBytes = blockRawBytes, BlockMaxEntries = 64, Log = m => { lock (messages) { messages.Add(m); } } };
        using var storage = LogStorage.Open(directory.Path, options);
        // Two flushes and a merge: lines go through a flushed part, then are rebuilt and split again by the merge.
        for (var half = 0; half < 2; half++)
        {
            var batch = new LogStreamBatch(s_stream);
            for (var i = half; i < lines.Count; i += 2)
            {
                batch.Entries.Add(new LogEntry(TodayNanos + i, lines[i]));
            }
            if (batch.Entries.Count > 0)
            {
                Append(storage, batch).GetAwaiter().GetResult();
            }
            storage.FlushAsync().GetAwaiter().GetResult();
        }
        while (storage.MergeOnce())
        {
        }
        var read = new List<byte[]>();
        foreach (var reader in storage.Select(Select([LabelMatcher.Equal("app", "shaped")])))
        {
            using (reader)
            {
                while (reader.MoveNext())
                {
                    read.Add(reader.Line.ToArray());
                }
            }
        }
        lock (messages)
        {
            Assert.True(messages.Count == 0, string.Join("\n", messages));
        }
        return read;
    }

    private static long PartBytes(List<byte[]> lines, bool jsonFieldColumns)
    {
        using var directory = new TempDirectory();
        using var storage = LogStorage.Open(directory.Path, Options() with { JsonFieldColumns = jsonFieldColumns });
        var batch = new LogStreamBatch(s_stream);
        for (var i = 0; i < lines.Count; i++)
        {
            batch.Entries.Add(new LogEntry(TodayNanos + i, lines[i]));
        }
        Append(storage, batch).GetAwaiter().GetResult();
        storage.FlushAsync().GetAwaiter().GetResult();
        Assert.Equal(lines.Count, storage.Select(Select([LabelMatcher.Equal("app", "shaped")])).Sum(r => { using (r) { var n = 0; while (r.MoveNext()) { n++; } return n; } }));
        return storage.Status().PartBytes;
    }
}
