using Kansoku.Agent.Inputs.Tail;
using Kansoku.Agent.Tests.Pipeline;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Inputs;

public sealed class TailInputTests
{
    private static void Append(string path, params string[] lines)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        foreach (var line in lines)
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
        }
    }

    private static string[] Numbered(string prefix, int from, int count)
    {
        var lines = new string[count];
        for (var i = 0; i < count; i++)
        {
            lines[i] = $"{prefix} {from + i}\n";
        }
        return lines;
    }

    [Fact]
    public async Task Reads_whole_lines_and_holds_back_an_incomplete_one()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("app.log");
        Append(log, "one\n", "two\n", "thr");
        var output = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log")), dir.Combine("state"), output))
        {
            await harness.WaitForAsync(2);
            await Task.Delay(100);
            Assert.Equal(["one", "two"], output.Logs());
            Append(log, "ee\n");
            await harness.WaitForAsync(3);
        }
        Assert.Equal(["one", "two", "three"], output.Logs());
    }

    [Fact]
    public async Task Restart_resumes_from_the_checkpoint_without_duplicates()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("app.log");
        Append(log, Numbered("line", 0, 100));
        var first = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log")), dir.Combine("state"), first))
        {
            await harness.WaitForAsync(100);
        }
        Append(log, Numbered("line", 100, 50));
        var second = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log")), dir.Combine("state"), second))
        {
            await harness.WaitForAsync(50);
            await Task.Delay(100);
        }
        Assert.Equal(Numbered("line", 100, 50).Select(l => l.TrimEnd('\n')), second.Logs());
    }

    [Fact]
    public async Task Rename_rotation_reads_the_old_file_to_its_end_and_the_new_one_from_its_start()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("0.log");
        Append(log, Numbered("a", 0, 10));
        var output = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log")), dir.Combine("state"), output))
        {
            await harness.WaitForAsync(10);
            // The writer keeps its handle open on the renamed file and writes a little more, as a runtime does
            // until it reopens.
            using (var writer = new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                File.Move(log, log + ".20261125-080000");
                writer.Write(System.Text.Encoding.UTF8.GetBytes(string.Concat(Numbered("a", 10, 5))));
            }
            Append(log, Numbered("b", 0, 10));
            await harness.WaitForAsync(25);
            await Task.Delay(300);
        }
        var logs = output.Logs();
        Assert.Equal(25, logs.Count);
        Assert.Equal(Numbered("a", 0, 15).Select(l => l.TrimEnd('\n')), logs.Where(l => l.StartsWith('a')));
        Assert.Equal(Numbered("b", 0, 10).Select(l => l.TrimEnd('\n')), logs.Where(l => l.StartsWith('b')));
    }

    [Fact]
    public async Task Copytruncate_is_noticed_and_the_file_read_again_from_the_start()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("app.log");
        Append(log, Numbered("old", 0, 20));
        var output = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log")), dir.Combine("state"), output))
        {
            await harness.WaitForAsync(20);
            File.Copy(log, log + ".1");
            using (var truncate = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                truncate.SetLength(0);
            }
            Append(log, "new 0\n");
            await harness.WaitForAsync(21);
        }
        Assert.Equal("new 0", output.Logs()[^1]);
    }

    [Fact]
    public async Task Files_present_at_start_are_followed_from_their_end_unless_read_from_head()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("app.log");
        Append(log, "before\n");
        var output = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log"), readFromHead: false), dir.Combine("state"), output))
        {
            await Eventually.WaitUntilAsync(() => harness.Input.OpenFiles == 1);
            Append(log, "after\n");
            Append(dir.Combine("new.log"), "fresh\n");
            await harness.WaitForAsync(2);
        }
        Assert.Equal(["after", "fresh"], output.Logs().Order());
    }

    [Fact]
    public async Task A_file_rotated_while_the_agent_was_stopped_is_finished_from_its_checkpoint()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("0.log");
        Append(log, Numbered("a", 0, 10));
        var first = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log")), dir.Combine("state"), first))
        {
            await harness.WaitForAsync(10);
        }
        // While stopped: more lines, a rotation, a file written and rotated again, and a new current file.
        Append(log, Numbered("a", 10, 5));
        File.Move(log, log + ".20261125-080000");
        Append(log, Numbered("b", 0, 5));
        File.Move(log, log + ".20261125-080100");
        Append(log, Numbered("c", 0, 5));
        var second = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log"), readFromHead: false), dir.Combine("state"), second))
        {
            await harness.WaitForAsync(15);
            await Task.Delay(300);
        }
        var logs = second.Logs();
        Assert.Equal(15, logs.Count);
        Assert.Equal(Numbered("a", 10, 5).Select(l => l.TrimEnd('\n')), logs.Where(l => l.StartsWith('a')));
        Assert.Equal(5, logs.Count(l => l.StartsWith('b')));
        Assert.Equal(5, logs.Count(l => l.StartsWith('c')));
    }

    [Fact]
    public async Task Symlinked_files_are_followed_and_gz_and_tmp_files_ignored()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("pods"));
        Directory.CreateDirectory(dir.Combine("containers"));
        var target = dir.Combine("pods", "0.log");
        Append(target, "via link\n");
        File.CreateSymbolicLink(dir.Combine("containers", "web.log"), target);
        Append(dir.Combine("containers", "old.log.gz"), "compressed\n");
        Append(dir.Combine("containers", "old.log.tmp"), "leftover\n");
        var output = new CollectingOutput();
        await using (var harness = new TailHarness(TailHarness.Options(dir.Combine("containers", "*")), dir.Combine("state"), output))
        {
            await harness.WaitForAsync(1);
            await Task.Delay(100);
        }
        Assert.Equal(["via link"], output.Logs());
    }

    [Fact]
    public async Task Once_reads_everything_and_returns()
    {
        using var dir = new TempDirectory();
        Append(dir.Combine("a.log"), Numbered("a", 0, 1000));
        Append(dir.Combine("b.log"), Numbered("b", 0, 1000));
        var output = new CollectingOutput();
        var harness = new TailHarness(TailHarness.Options(dir.Combine("*.log")), dir.Combine("state"), output, once: true);
        await harness.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.DisposeAsync();
        Assert.Equal(2000, output.Records.Count);
    }

    [Fact]
    public async Task Long_lines_are_cut_at_buffer_max_size_or_skipped_and_counted()
    {
        using var dir = new TempDirectory();
        Append(dir.Combine("a.log"), new string('x', 5000) + "\n", "short\n");
        var cut = new CollectingOutput();
        var options = TailHarness.Options(dir.Combine("*.log"));
        var cutOptions = new TailOptions { Paths = options.Paths, ReadFromHead = true, RefreshInterval = options.RefreshInterval, Multiline = false, BufferMaxSize = 2048 };
        await using (var harness = new TailHarness(cutOptions, dir.Combine("state1"), cut, once: true))
        {
            await harness.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.Equal([2048, 2048, 904, 5], cut.Logs().Select(l => l.Length));

        var skipped = new CollectingOutput();
        var skipOptions = new TailOptions { Paths = options.Paths, ReadFromHead = true, RefreshInterval = options.RefreshInterval, Multiline = false, BufferMaxSize = 2048, SkipLongLines = true };
        await using (var harness = new TailHarness(skipOptions, dir.Combine("state2"), skipped, once: true))
        {
            await harness.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(5001, harness.Input.SkippedBytes);
        }
        Assert.Equal(["short"], skipped.Logs());
    }
}
