using System.Text;
using Kansoku.Agent.Outputs;
using Kansoku.Agent.Outputs.Stdout;
using static Kansoku.Agent.Tests.Outputs.OutputTestKit;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Outputs;

public sealed class LocalOutputTests
{
    [Fact]
    public async Task File_output_appends_batches_to_an_existing_file()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "logs", "out.ndjson");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{\"old\":true}\n");
        var context = Context(dir.Path);
        await using (var output = OutputFactory.Create(OutputFactory.FromUrl("file:" + path), context))
        {
            await output.StartAsync(default);
            await output.AcceptAsync(Batch(Record("a"), Record("b")), 2, default);
            // Unbuffered: the write is done (and fsynced) once AcceptAsync returns.
            Assert.Equal(3, File.ReadAllLines(path).Length);
            await output.AcceptAsync(Encoding.UTF8.GetBytes(Record("c")), 1, default);
            Assert.True(await output.DrainAsync(TimeSpan.Zero, default));
        }
        Assert.Equal(["{\"old\":true}", Record("a"), Record("b"), Record("c")], await File.ReadAllLinesAsync(path));
        Assert.Equal(3, context.Counters.EmittedRecords);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "buffer")));
    }

    [Fact]
    public async Task File_output_with_filesystem_storage_goes_through_the_disk_buffer()
    {
        using var dir = new TempDirectory();
        var context = Context(dir.Path, name: "file.1");
        await using (var output = OutputFactory.Create(
            Spec("file", ("Path", Path.Combine(dir.Path, "out")), ("File", "records.log"), ("storage.type", "filesystem"), ("mkdir", "on")), context))
        {
            await output.StartAsync(default);
            await output.AcceptAsync(Batch(Record("a")), 1, default);
            await output.AcceptAsync(Batch(Record("b")), 1, default);
            Assert.True(await output.DrainAsync(TimeSpan.FromSeconds(10), default));
        }
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "buffer", "file.1")));
        Assert.Equal([Record("a"), Record("b")], await File.ReadAllLinesAsync(Path.Combine(dir.Path, "out", "records.log")));
    }

    [Fact]
    public async Task Stdout_json_format_writes_each_batch_as_an_array()
    {
        using var stream = new MemoryStream();
        await using var sink = new StdoutSink(stream, StdoutFormat.Json);
        await sink.SendAsync(Batch("{\"a\":1}", "{\"a\":2}"), 2, default);
        Assert.Equal("[{\"a\":1},{\"a\":2}]\n", Encoding.UTF8.GetString(stream.ToArray()));
    }
}
