using System.Threading.Channels;
using Kansoku.Core.Labels;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.Discovery.File;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.Discovery;

public sealed class FileDiscovererTests
{
    [Fact]
    public void Json_and_yaml_files_matching_the_glob_become_groups_with_their_path()
    {
        using var directory = new TempDirectory();
        var json = directory.Write("targets/web.json", """[{"targets": ["10.0.0.1:9100", "10.0.0.2:9100"], "labels": {"env": "prod"}}, {"targets": ["10.0.0.3:9100"]}]""");
        var yaml = directory.Write("targets/db.yml", "- targets: ['db:9187']\n  labels: { team: data }\n");
        directory.Write("targets/notes.txt", "not targets");
        var discoverer = new FileDiscoverer(new FileSdConfig([directory.Combine("targets", "*.json"), directory.Combine("targets", "db.yml")], TimeSpan.FromMinutes(5)));

        var groups = discoverer.Refresh();

        Assert.Equal([$"{yaml}:0", $"{json}:0", $"{json}:1"], groups.Select(g => g.Source).Order(StringComparer.Ordinal));
        var web = groups.Single(g => g.Source == $"{json}:0");
        Assert.Equal(LabelSet.From(("__meta_filepath", json), ("env", "prod")), web.Labels);
        Assert.Equal(["10.0.0.1:9100", "10.0.0.2:9100"], web.Targets.Select(t => t.Get("__address__")));
        Assert.Equal(LabelSet.From(("__meta_filepath", yaml), ("team", "data")), groups.Single(g => g.Source == $"{yaml}:0").Labels);
    }

    [Fact]
    public void Removed_groups_and_files_are_sent_empty_and_broken_files_keep_their_groups()
    {
        using var directory = new TempDirectory();
        var first = directory.Write("a.json", """[{"targets": ["a:1"]}, {"targets": ["b:1"]}]""");
        var second = directory.Write("b.yaml", "- targets: ['c:1']\n");
        var discoverer = new FileDiscoverer(new FileSdConfig([directory.Combine("*.json"), directory.Combine("*.yaml")], TimeSpan.FromMinutes(5)));
        Assert.Equal(3, discoverer.Refresh().Count);

        File.WriteAllText(first, """[{"targets": ["a:1"]}]""");
        File.WriteAllText(second, "- targets: [unclosed\n");
        var groups = discoverer.Refresh();
        Assert.Equal([$"{first}:0", $"{first}:1"], groups.Select(g => g.Source));
        Assert.Empty(groups[1].Targets);
        Assert.Equal(1, discoverer.ReadErrors);

        File.Delete(second);
        File.Delete(first);
        groups = discoverer.Refresh();
        Assert.Equal([$"{first}:0", $"{second}:0"], groups.Select(g => g.Source).Order(StringComparer.Ordinal));
        Assert.All(groups, g => Assert.Empty(g.Targets));
    }

    [Fact]
    public void Invalid_label_names_make_the_file_an_error()
    {
        using var directory = new TempDirectory();
        directory.Write("a.json", """[{"targets": ["a:1"], "labels": {"bad-name": "x"}}]""");
        var errors = new List<string>();
        var discoverer = new FileDiscoverer(new FileSdConfig([directory.Combine("*.json")], TimeSpan.FromMinutes(5)), errors.Add);
        Assert.Empty(discoverer.Refresh());
        Assert.Contains("\"bad-name\" is not a valid label name", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_file_is_read_again_without_waiting_for_the_refresh_interval()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("t.json", """[{"targets": ["a:1"]}]""");
        var discoverer = new FileDiscoverer(new FileSdConfig([directory.Combine("*.json")], TimeSpan.FromHours(1)));
        var updates = Channel.CreateUnbounded<IReadOnlyList<TargetGroup>>();
        using var stop = new CancellationTokenSource();
        var run = discoverer.RunAsync(updates.Writer, stop.Token);

        var initial = await updates.Reader.ReadAsync();
        Assert.Equal("a:1", initial[0].Targets[0].Get("__address__"));
        await File.WriteAllTextAsync(path, """[{"targets": ["b:2"]}]""");
        IReadOnlyList<TargetGroup> next;
        do
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            next = await updates.Reader.ReadAsync(timeout.Token);
        }
        while (next.Count == 0 || next[0].Targets.Count == 0 || next[0].Targets[0].Get("__address__") != "b:2");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
