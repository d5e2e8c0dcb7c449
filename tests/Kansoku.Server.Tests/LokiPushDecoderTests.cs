using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Server.Ingest;

namespace Kansoku.Server.Tests;

/// <summary>Loki's JSON push: lines are the strings' UTF-8, as slices of the body where nothing had to be unescaped.</summary>
public sealed class LokiPushDecoderTests
{
    private static readonly JsonSerializerOptions s_escapeAll = new() { Encoder = JavaScriptEncoder.Default };
    private static readonly JsonSerializerOptions s_escapeLittle = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Property(MaxTest = 300)]
    public Property Lines_are_the_strings_utf8_however_they_were_escaped() =>
        Prop.ForAll(Lines().ToArbitrary(), ArbMap.Default.GeneratorFor<bool>().ToArbitrary(), (lines, escapeAll) =>
        {
            var options = escapeAll ? s_escapeAll : s_escapeLittle;
            var values = new StringBuilder();
            for (var i = 0; i < lines.Length; i++)
            {
                values.Append(i > 0 ? "," : "").Append($"[\"{1_764_057_600_000_000_000L + i}\",{JsonSerializer.Serialize(lines[i], options)}]");
            }
            var body = Encoding.UTF8.GetBytes($"{{\"streams\":[{{\"stream\":{{\"job\":\"x\"}},\"values\":[{values}]}}]}}");
            using var arena = new ByteArena();
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);

            string[] decoded;
            try
            {
                decoded = [.. LokiPushDecoder.DecodeJson(body, arena)[0].Entries.Select(e => strict.GetString(e.Line.Span))];
            }
            catch (FormatException)
            {
                // Only a string with a lone surrogate has no UTF-8.
                Assert.Contains(lines, line => !IsText(line));
                return;
            }
            Assert.Equal(lines, decoded);
        });

    [Fact]
    public void Lines_without_escapes_are_slices_of_the_body_and_escaped_ones_are_unescaped()
    {
        var body = """{"streams":[{"stream":{"job":"x"},"values":[["1","plain"],["2","say \"hi\"\n"]]},{"labels":"{job=\"y\"}","entries":[{"ts":"2026-11-25T08:00:00Z","line":"legacy"}]}]}"""u8.ToArray();
        using var arena = new ByteArena();

        var streams = LokiPushDecoder.DecodeJson(body, arena);

        var plain = streams[0].Entries[0].Line;
        Assert.True(MemoryMarshal.TryGetArray(plain, out var segment) && ReferenceEquals(segment.Array, body));
        Assert.Equal("plain", Encoding.UTF8.GetString(plain.Span));
        Assert.Equal("say \"hi\"\n", Encoding.UTF8.GetString(streams[0].Entries[1].Line.Span));
        Assert.Equal("{job=\"y\"}", streams[1].Labels.ToString());
        Assert.Equal("legacy", Encoding.UTF8.GetString(streams[1].Entries[0].Line.Span));
        Assert.Equal(1_795_593_600_000_000_000, streams[1].Entries[0].TimestampUnixNano);
    }

    [Theory]
    [InlineData("""{"streams":[{"stream":{"job":"x"},"values":[["1","a\ud800"]]}]}""", "streams[0]: a line is not valid text")]
    [InlineData("""{"streams":["not a stream"]}""", "streams[0]: no \"stream\" label object")]
    [InlineData("""{"streams":[{"labels":"{job=\"y\"}","entries":["not an entry"]}]}""", "streams[0].entries: each entry must be")]
    [InlineData("""{"streams":[{"stream":{"job":"x"},"values":[["1","a"]]}]} trailing""", "the push body is not JSON")]
    public void Refusals_say_where(string json, string message)
    {
        using var arena = new ByteArena();

        var error = Assert.Throws<FormatException>(() => LokiPushDecoder.DecodeJson(Encoding.UTF8.GetBytes(json), arena));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_that_is_not_utf8_is_refused()
    {
        byte[] body = [.. "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[\"1\",\""u8, 0xC3, 0x28, .. "\"]]}]}"u8];
        using var arena = new ByteArena();

        var error = Assert.Throws<FormatException>(() => LokiPushDecoder.DecodeJson(body, arena));

        Assert.Equal("streams[0]: a line is not valid UTF-8", error.Message);
    }

    private static bool IsText(string line)
    {
        try
        {
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(line);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static Gen<string[]> Lines() => Gen.Frequency(
        (6, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")),
        (2, Gen.Elements("", "plain", "日本語 \"quoted\" \\ back\nslash", "emoji 🎉", "{\"level\":\"info\",\"msg\":\"tab\\there\"}")),
        (1, Gen.Choose(100, 3000).Select(n => new string('x', n) + "é\"")))
        .ArrayOf();
}
