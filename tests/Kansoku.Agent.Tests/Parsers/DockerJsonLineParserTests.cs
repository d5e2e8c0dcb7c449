using System.Buffers;
using System.Text;
using FsCheck.Xunit;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Parsers.Docker;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Tests.Parsers;

public sealed class DockerJsonLineParserTests
{
    [Theory]
    [InlineData("""{"log":"hello world\n","stream":"stdout","time":"2024-05-01T12:00:00.123456789Z"}""", "hello world", false, nameof(LogStream.Stdout))]
    [InlineData("""{"log":"tab\there \"quoted\" back\\slash\n","stream":"stderr","time":"2024-05-01T12:00:00Z"}""", "tab\there \"quoted\" back\\slash", false, nameof(LogStream.Stderr))]
    [InlineData("""{"log":"\u65e5\u672c\u8a9e \ud83d\ude00\n","stream":"stdout","time":"2024-05-01T12:00:00Z"}""", "日本語 😀", false, nameof(LogStream.Stdout))]
    [InlineData("""{"log":"日本語 raw\n","stream":"stdout","time":"2024-05-01T12:00:00Z"}""", "日本語 raw", false, nameof(LogStream.Stdout))]
    [InlineData("""{"log":"first half of a long line","stream":"stdout","time":"2024-05-01T12:00:00Z"}""", "first half of a long line", true, nameof(LogStream.Stdout))]
    [InlineData("""{"log":"windows\r\n","stream":"stdout","time":"2024-05-01T12:00:00Z"}""", "windows", false, nameof(LogStream.Stdout))]
    [InlineData("""{"log":"\n","stream":"stdout","time":"2024-05-01T12:00:00Z"}""", "", false, nameof(LogStream.Stdout))]
    [InlineData("""{"stream":"stdout","attrs":{"a":[1,2]},"log":"order does not matter\n","time":"2024-05-01T12:00:00Z"}""", "order does not matter", false, nameof(LogStream.Stdout))]
    public void Parses_docker_lines(string line, string content, bool partial, string stream)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(DockerJsonLineParser.TryParse(bytes, buffer, out var parsed));
        Assert.Equal(content, Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(content.Length == 0 ? 0 : Encoding.UTF8.GetByteCount(content), parsed.ContentLength);
        Assert.Equal(partial, parsed.IsPartial);
        Assert.Equal(Enum.Parse<LogStream>(stream), parsed.Stream);
        Assert.True(parsed.TimeUnixNano >= 1714564800000000000);
    }

    [Fact]
    public void Reads_nanosecond_time()
    {
        var bytes = """{"log":"x\n","stream":"stdout","time":"2024-05-01T12:00:00.123456789Z"}"""u8.ToArray();
        Assert.True(DockerJsonLineParser.TryParse(bytes, new byte[bytes.Length], out var parsed));
        Assert.Equal(1714564800123456789, parsed.TimeUnixNano);
    }

    [Theory]
    [InlineData("""{"stream":"stdout","time":"2024-05-01T12:00:00Z"}""")]
    [InlineData("""{"log":1,"stream":"stdout","time":"2024-05-01T12:00:00Z"}""")]
    [InlineData("""{"log":"x","stream":"stdout","time":"yesterday"}""")]
    [InlineData("{\"log\":\"x\\n\",\"stream\":\"stdout\"")]
    [InlineData("""{"log":"x\n"} trailing""")]
    [InlineData("2024-05-01T12:00:00Z stdout F hello")]
    [InlineData("")]
    public void Rejects_other_lines(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        Assert.False(DockerJsonLineParser.TryParse(bytes, new byte[bytes.Length], out _));
    }

    [Property(MaxTest = 300)]
    public bool Content_round_trips_through_docker_encoding(string text, bool partial)
    {
        text = (text ?? "").Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        if (text.Any(char.IsSurrogate))
        {
            return true;
        }
        var log = partial ? text : text + "\n";
        var line = Encoding.UTF8.GetBytes(
            $$"""{"log":{{System.Text.Json.JsonSerializer.Serialize(log)}},"stream":"stderr","time":"2024-05-01T12:00:00Z"}""");
        var buffer = new byte[line.Length];
        return DockerJsonLineParser.TryParse(line, buffer, out var parsed)
            && parsed.IsPartial == partial
            && Encoding.UTF8.GetString(buffer, 0, parsed.ContentLength) == text;
    }

    [Property(MaxTest = 300)]
    public bool Never_throws_on_arbitrary_bytes(byte[] line)
    {
        DockerJsonLineParser.TryParse(line, new byte[line.Length], out _);
        return true;
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00Z stdout F hello", nameof(ContainerLogFormat.Cri))]
    [InlineData("""{"log":"hello\n","stream":"stdout","time":"2024-05-01T12:00:00Z"}""", nameof(ContainerLogFormat.DockerJson))]
    [InlineData("""{"msg":"an application's own json"}""", nameof(ContainerLogFormat.Unknown))]
    [InlineData("plain text", nameof(ContainerLogFormat.Unknown))]
    [InlineData("", nameof(ContainerLogFormat.Unknown))]
    public void Detects_the_format_from_the_first_line(string line, string expected)
    {
        Assert.Equal(Enum.Parse<ContainerLogFormat>(expected), LogFormatDetector.Detect(Encoding.UTF8.GetBytes(line)));
    }
}
