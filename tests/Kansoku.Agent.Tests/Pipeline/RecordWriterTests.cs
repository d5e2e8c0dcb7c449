using System.Text;
using System.Text.Json;
using FsCheck.Xunit;
using Kansoku.Agent.Kubernetes;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Tests.Pipeline;

public sealed class RecordWriterTests
{
    private static JsonElement WriteOne(LogRecord record)
    {
        using var writer = new RecordWriter();
        using var buffer = new ByteBuffer(256);
        writer.Write(buffer, record);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.EndsWith("}\n", text);
        Assert.Equal(1, text.Count(c => c == '\n'));
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public void Writes_fluent_bit_kubernetes_shape()
    {
        var record = new LogRecord
        {
            TimeUnixNano = 1_764_057_600_123_456_789,
            Stream = LogStream.Stderr,
            Content = Encoding.UTF8.GetBytes("{\"msg\":\"注文\",\"n\":1}"),
            Severity = Severity.Warn,
            Kubernetes = new KubernetesMetadata
            {
                NamespaceName = "shop",
                PodName = "web-1",
                PodId = "uid-1",
                ContainerName = "web",
                DockerId = "abc",
                Host = "node-1",
                Labels = new Dictionary<string, string> { ["app"] = "web", ["app.kubernetes.io/name"] = "web" },
                Annotations = new Dictionary<string, string> { ["kansoku.io/parser"] = "json" },
            },
        };
        record.SetRawFields(record.Content);
        var json = WriteOne(record);
        Assert.Equal("2025-11-25T08:00:00.123456789Z", json.GetProperty("time").GetString());
        Assert.Equal("stderr", json.GetProperty("stream").GetString());
        Assert.Equal("{\"msg\":\"注文\",\"n\":1}", json.GetProperty("log").GetString());
        Assert.Equal("注文", json.GetProperty("msg").GetString());
        Assert.Equal(1, json.GetProperty("n").GetInt32());
        Assert.Equal("warn", json.GetProperty("level").GetString());
        var kubernetes = json.GetProperty("kubernetes");
        Assert.Equal("shop", kubernetes.GetProperty("namespace_name").GetString());
        Assert.Equal("web-1", kubernetes.GetProperty("pod_name").GetString());
        Assert.Equal("uid-1", kubernetes.GetProperty("pod_id").GetString());
        Assert.Equal("web", kubernetes.GetProperty("container_name").GetString());
        Assert.Equal("abc", kubernetes.GetProperty("docker_id").GetString());
        Assert.Equal("node-1", kubernetes.GetProperty("host").GetString());
        Assert.Equal("web", kubernetes.GetProperty("labels").GetProperty("app.kubernetes.io/name").GetString());
        Assert.Equal("json", kubernetes.GetProperty("annotations").GetProperty("kansoku.io/parser").GetString());
    }

    [Fact]
    public void Keep_log_off_leaves_only_the_parsed_fields_and_a_changed_tree_is_written()
    {
        var record = new LogRecord { Content = "{\"a\":1}"u8.ToArray(), KeepLog = false, ParsedFromContent = true };
        record.SetRawFields(record.Content);
        record.Fields["b"] = "two";
        var json = WriteOne(record);
        Assert.False(json.TryGetProperty("log", out _));
        Assert.Equal(1, json.GetProperty("a").GetInt32());
        Assert.Equal("two", json.GetProperty("b").GetString());
        Assert.False(json.TryGetProperty("level", out _));
    }

    [Fact]
    public void Keep_log_off_never_drops_the_text_of_a_line_no_parser_matched()
    {
        var record = new LogRecord { Content = "plain text"u8.ToArray(), KeepLog = false };
        record.Fields["cluster"] = "prod";
        var json = WriteOne(record);
        Assert.Equal("plain text", json.GetProperty("log").GetString());
        Assert.Equal("prod", json.GetProperty("cluster").GetString());
    }

    [Fact]
    public void Fields_named_like_the_writers_own_keys_win_and_no_key_appears_twice()
    {
        var content = "{\"time\":\"yesterday\",\"stream\":\"custom\",\"log\":\"inner\",\"level\":\"verbose\",\"kubernetes\":\"mine\"}"u8.ToArray();
        var record = new LogRecord
        {
            Content = content,
            Stream = LogStream.Stdout,
            Severity = Severity.Warn,
            ParsedFromContent = true,
            RawFieldsReserved = ReservedFields.Time | ReservedFields.Stream | ReservedFields.Log | ReservedFields.Level | ReservedFields.Kubernetes,
            Kubernetes = new KubernetesMetadata { NamespaceName = "n", PodName = "p", ContainerName = "c" },
        };
        record.SetRawFields(content);
        using var writer = new RecordWriter();
        using var buffer = new ByteBuffer(256);
        writer.Write(buffer, record);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        foreach (var key in new[] { "time", "stream", "log", "level", "kubernetes" })
        {
            Assert.Equal(1, text.Split($"\"{key}\":").Length - 1);
        }
        using var json = JsonDocument.Parse(text);
        Assert.Equal("custom", json.RootElement.GetProperty("stream").GetString());

        // The same through a materialised tree (a filter touched the fields).
        record.Fields["extra"] = 1;
        buffer.Clear();
        writer.Write(buffer, record);
        text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.Equal(1, text.Split("\"time\":").Length - 1);
        Assert.Equal(1, text.Split("\"kubernetes\":").Length - 1);
    }

    [Theory]
    [InlineData("json", "{\"time\":\"t\",\"stream\":\"s\",\"msg\":\"a\"}")]
    [InlineData("logfmt", "time=t stream=s msg=a")]
    public void Parsers_report_the_writers_keys_they_store(string parser, string content)
    {
        var record = new LogRecord { Content = Encoding.UTF8.GetBytes(content), Stream = LogStream.Stderr, TimeUnixNano = 5 };
        Assert.True(Kansoku.Agent.Parsers.ParserFactory.CreateBuiltIn(parser)!.TryParse(record));
        var text = Encoding.UTF8.GetString(Write(record));
        Assert.Equal(1, text.Split("\"time\":").Length - 1);
        Assert.Equal(1, text.Split("\"stream\":").Length - 1);
        Assert.Contains("\"stream\":\"s\"", text, StringComparison.Ordinal);
    }

    private static byte[] Write(LogRecord record)
    {
        using var writer = new RecordWriter();
        using var buffer = new ByteBuffer(256);
        writer.Write(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Level_is_not_added_twice_when_the_fields_carry_it()
    {
        var record = new LogRecord { Content = "{\"level\":\"error\"}"u8.ToArray(), Severity = Severity.Error, LevelInFields = true, KeepLog = false };
        record.SetRawFields(record.Content);
        using var writer = new RecordWriter();
        using var buffer = new ByteBuffer(256);
        writer.Write(buffer, record);
        Assert.Equal(1, Encoding.UTF8.GetString(buffer.WrittenSpan).Split("\"level\"").Length - 1);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("tab\there \"quoted\" back\\slash", "tab\there \"quoted\" back\\slash")]
    [InlineData("ctrl\u0001\u001f end", "ctrl\u0001\u001f end")]
    [InlineData("日本語のログ", "日本語のログ")]
    public void Escapes_what_json_requires(string content, string expected)
    {
        var json = WriteOne(new LogRecord { Content = Encoding.UTF8.GetBytes(content) });
        Assert.Equal(expected, json.GetProperty("log").GetString());
    }

    [Fact]
    public void Invalid_utf8_becomes_replacement_characters()
    {
        var json = WriteOne(new LogRecord { Content = new byte[] { (byte)'a', 0xFF, (byte)'b', 0xC3 } });
        Assert.Equal("a\uFFFDb\uFFFD", json.GetProperty("log").GetString());
    }

    [Property(MaxTest = 500)]
    public bool Any_bytes_give_valid_json_that_round_trips_valid_text(byte[]? bytes)
    {
        bytes ??= [];
        var json = WriteOne(new LogRecord { Content = bytes });
        var log = json.GetProperty("log").GetString()!;
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return log == Encoding.UTF8.GetString(bytes);
        }
        return log.Contains('\uFFFD', StringComparison.Ordinal);
    }
}
