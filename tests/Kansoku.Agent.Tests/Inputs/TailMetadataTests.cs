using Kansoku.Agent.Inputs.Tail;
using Kansoku.Agent.Kubernetes;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Parsers.Multiline;
using Kansoku.Agent.Tests.Pipeline;

namespace Kansoku.Agent.Tests.Inputs;

/// <summary>How the tail input applies what it knows about a file's pod: metadata, parser choice, exclusion, multi-line.</summary>
public sealed class TailMetadataTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private sealed class FixedMetadata(Func<string, KubernetesMetadata?> lookup) : IKubernetesMetadataProvider
    {
        public KubernetesMetadata? Lookup(string logFilePath) => lookup(logFilePath);
        public long Version => 1;
    }

    private static KubernetesMetadata Pod(string pod, Dictionary<string, string> annotations) => new()
    {
        NamespaceName = "shop",
        PodName = pod,
        ContainerName = "app",
        DockerId = Id,
        Annotations = annotations,
        Labels = new Dictionary<string, string> { ["app"] = pod },
        FromApiServer = true,
    };

    private static TailContext Context(Dictionary<string, KubernetesMetadata> pods) => new()
    {
        Metadata = new FixedMetadata(path => pods.GetValueOrDefault(Path.GetFileName(path).Split('_')[0])),
        ResolveParser = ParserFactory.CreateBuiltIn,
        MergeLogParser = ParserFactory.CreateBuiltIn("json"),
        KeepLog = false,
        AnnotatedParser = (m, stream) => KubernetesAnnotations.PodParserAnnotation(m, m.ContainerName, stream),
        IsExcluded = (m, stream) => KubernetesAnnotations.IsExcluded(m, m.ContainerName, stream),
    };

    private static string CriFile(string dir, string pod, params string[] contents) => CriStreamFile(dir, pod, "stdout", contents);

    private static string CriStreamFile(string dir, string pod, string stream, params string[] contents)
    {
        var path = Path.Combine(dir, $"{pod}_shop_app-{Id}.log");
        File.AppendAllLines(path, contents.Select((c, i) => $"2026-11-25T08:00:0{i % 10}.5Z {stream} F {c}"));
        return path;
    }

    [Fact]
    public async Task Per_stream_annotations_apply_to_their_stream_only_and_merge_log_key_nests_the_fields()
    {
        using var dir = new Testing.TempDirectory();
        CriStreamFile(dir.Path, "split", "stdout", "{\"msg\":\"kept\"}");
        CriStreamFile(dir.Path, "split", "stderr", "{\"msg\":\"noise\"}");
        CriStreamFile(dir.Path, "split", "stdout", "level=warn msg=second");
        var pods = new Dictionary<string, KubernetesMetadata>
        {
            ["split"] = Pod("split", new() { ["fluentbit.io/exclude_stderr"] = "true" }),
        };
        var output = new CollectingOutput();
        var context = Context(pods) with { MergeLogKey = "app" };
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log")), dir.Combine("state"), output, once: true, context))
        {
            await harness.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        }
        var records = output.Records;
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal("stdout", r.GetProperty("stream").GetString()));
        Assert.Equal("kept", records[0].GetProperty("app").GetProperty("msg").GetString());
        Assert.False(records[0].TryGetProperty("msg", out _));
        // Not JSON: nothing merged, the line stays as log.
        Assert.Equal("level=warn msg=second", records[1].GetProperty("log").GetString());
    }

    [Fact]
    public async Task Pod_annotations_choose_the_parser_or_exclude_the_logs_and_labels_reach_the_record()
    {
        using var dir = new Testing.TempDirectory();
        CriFile(dir.Path, "plain", "{\"msg\":\"json merged\"}");
        CriFile(dir.Path, "logfmt", "level=error msg=\"disk full\" code=28");
        CriFile(dir.Path, "quiet", "{\"msg\":\"must not ship\"}");
        var pods = new Dictionary<string, KubernetesMetadata>
        {
            ["plain"] = Pod("plain", []),
            ["logfmt"] = Pod("logfmt", new() { ["kansoku.io/parser"] = "logfmt" }),
            ["quiet"] = Pod("quiet", new() { ["fluentbit.io/exclude"] = "true" }),
        };
        var output = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log")), dir.Combine("state"), output, once: true, Context(pods)))
        {
            await harness.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        }
        var records = output.Records;
        Assert.Equal(2, records.Count);
        var json = records.Single(r => r.GetProperty("kubernetes").GetProperty("pod_name").GetString() == "plain");
        Assert.Equal("json merged", json.GetProperty("msg").GetString());
        Assert.False(json.TryGetProperty("log", out _));
        Assert.Equal("plain", json.GetProperty("kubernetes").GetProperty("labels").GetProperty("app").GetString());
        var logfmt = records.Single(r => r.GetProperty("kubernetes").GetProperty("pod_name").GetString() == "logfmt");
        Assert.Equal("disk full", logfmt.GetProperty("msg").GetString());
        Assert.Equal("error", logfmt.GetProperty("level").GetString());
    }

    [Fact]
    public async Task A_stack_trace_becomes_one_record_and_the_checkpoint_never_passes_a_held_line()
    {
        using var dir = new Testing.TempDirectory();
        CriFile(dir.Path, "api",
            "ERROR request failed",
            "java.lang.IllegalStateException: boom",
            "\tat com.shop.Api.handle(Api.java:42)",
            "\tat com.shop.Server.run(Server.java:7)",
            "next line");
        var context = Context([]) with { MultilineRule = MultilineFactory.CreateBuiltIn("auto"), MultilineFlushTimeout = TimeSpan.FromSeconds(30) };
        var output = new CollectingOutput();
        var options = TailHarness.Options(dir.Combine("*.log"));
        await using (var harness = new TailHarness(options, dir.Combine("state"), output, once: false, context))
        {
            await harness.WaitForAsync(1);
            await Task.Delay(200);
            // "next line" is held until a following line or the flush timeout decides it is complete: the checkpoint
            // must stay at its start, so a crash now re-reads it rather than losing it.
            Assert.Single(output.Records);
            var fileLength = new FileInfo(Directory.GetFiles(dir.Path, "*.log")[0]).Length;
            var held = "2026-11-25T08:00:04.5Z stdout F next line\n".Length;
            harness.Checkpointer.Save();
            var saved = new Kansoku.Agent.Checkpoints.CheckpointStore(dir.Combine("state")).Load().Single();
            Assert.Equal(fileLength - held, saved.Offset);
        }
        var trace = output.Logs()[0];
        Assert.Equal("ERROR request failed\njava.lang.IllegalStateException: boom\n\tat com.shop.Api.handle(Api.java:42)\n\tat com.shop.Server.run(Server.java:7)", trace);
    }
}
