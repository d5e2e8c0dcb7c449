using System.Text;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Parsers.Cri;
using Kansoku.Agent.Parsers.Docker;
using Kansoku.Agent.Parsers.Multiline;
using Kansoku.Agent.Pipeline;
using static Kansoku.Agent.Tests.Parsers.ParserSpecs;

namespace Kansoku.Agent.Tests.Parsers;

/// <summary>The hot-path allocation budget: none for line parsing, one right-sized array at most per parsed record.</summary>
public sealed class AllocationTests
{
    private const int Iterations = 1000;

    [Fact]
    public void Cri_and_docker_line_parsing_allocate_nothing()
    {
        var cri = "2024-05-01T12:00:00.123456789Z stdout F {\"level\":\"info\",\"msg\":\"hello\"}"u8.ToArray();
        var docker = """{"log":"tab\there \u00e9\n","stream":"stderr","time":"2024-05-01T12:00:00.123456789Z"}"""u8.ToArray();
        var content = new byte[docker.Length];
        var ok = true;

        var allocated = Measure(() =>
        {
            ok &= CriLineParser.TryParse(cri, out _);
            ok &= DockerJsonLineParser.TryParse(docker, content, out _);
            ok &= LogFormatDetector.Detect(cri) == ContainerLogFormat.Cri;
            ok &= SeverityDetector.DetectPrefix("2024-01-02 03:04:05,123 ERROR [main] failed"u8) == Severity.Error;
        });
        Assert.True(ok);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Json_with_time_kept_shares_the_content_and_allocates_nothing()
    {
        var parser = Create(("Name", "j"), ("Format", "json"), ("Time_Key", "time"), ("Time_Keep", "On"));
        var record = Record("""{"time":"2024-01-02T03:04:05.123Z","level":"info","msg":"hello","n":1,"o":{"a":[1,2]}}""");
        var ok = true;
        var allocated = Measure(() => ok &= parser.TryParse(record));
        Assert.True(ok);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Json_with_edits_allocates_one_right_sized_array()
    {
        var parser = Create(("Name", "j"), ("Format", "json"), ("Time_Key", "time"));
        var record = Record("""{"time":"2024-01-02T03:04:05.123Z","level":"INFO","msg":"hello"}""");
        var ok = true;
        var allocated = Measure(() => ok &= parser.TryParse(record));
        Assert.True(ok);
        var fields = Encoding.UTF8.GetByteCount("""{"level":"info","msg":"hello"}""");
        // A byte[] costs its length plus a small header (24 bytes on 64-bit, rounded to 8).
        Assert.InRange(allocated / Iterations, fields, fields + 32);
    }

    [Fact]
    public void Logfmt_allocates_one_right_sized_array()
    {
        var parser = ParserFactory.CreateBuiltIn("logfmt")!;
        var record = Record("level=info msg=\"request done\" status=200");
        var ok = true;
        var allocated = Measure(() => ok &= parser.TryParse(record));
        Assert.True(ok);
        var fields = Encoding.UTF8.GetByteCount("""{"level":"info","msg":"request done","status":"200"}""");
        Assert.InRange(allocated / Iterations, fields, fields + 32);
    }

    [Fact]
    public void Auto_multiline_passes_ordinary_lines_without_allocating()
    {
        var aggregator = new MultilineAggregator(MultilineFactory.CreateBuiltIn("auto")!, TimeSpan.FromSeconds(1), TimeProvider.System);
        var lines = new[] { Record("GET / 200"), Record("2024-01-02 ERROR failed"), Record("  indented text") };
        var completed = new List<LogRecord>((Iterations + 1) * lines.Length);
        var allocated = Measure(() =>
        {
            foreach (var line in lines)
            {
                aggregator.Add(line, completed);
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal((Iterations + 1) * lines.Length - 1, completed.Count);
    }

    private static long Measure(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            action();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
