using System.Threading.Channels;
using Kansoku.Core.Threading;
using Kansoku.Scrape.Config;

namespace Kansoku.Scrape.Discovery.File;

/// <summary>
/// file_sd_configs (Prometheus discovery/file): reads every file the patterns match, again when a watched folder
/// changes and every refresh interval. A file that cannot be read or parsed keeps the groups it had (Prometheus does the
/// same, so a half-written file does not drop targets); a file that is gone, or has fewer groups, has its old sources
/// sent empty.
/// </summary>
internal sealed class FileDiscoverer : IDiscoverer
{
    private readonly FileSdConfig _config;
    private readonly Action<string> _onError;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, int> _groupsPerFile = new(StringComparer.Ordinal);
    private readonly AsyncPulse _changed = new();
    private long _readErrors;

    public FileDiscoverer(FileSdConfig config, Action<string>? onError = null, TimeProvider? time = null)
    {
        _config = config;
        _onError = onError ?? (_ => { });
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Files that could not be read or parsed, summed over refreshes.</summary>
    public long ReadErrors => Interlocked.Read(ref _readErrors);

    public async Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var watchers = Watch();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var changed = _changed.Current;
                await updates.WriteAsync(Refresh(), cancellationToken);
                await Task.WhenAny(changed, Task.Delay(_config.RefreshInterval, _time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    /// <summary>Every group of every matching file, plus empty groups for sources that went away.</summary>
    internal List<TargetGroup> Refresh()
    {
        var groups = new List<TargetGroup>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in MatchingFiles())
        {
            seen.Add(path);
            List<TargetGroup> fileGroups;
            try
            {
                fileGroups = TargetGroupFileParser.Parse(path, System.IO.File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                Interlocked.Increment(ref _readErrors);
                _onError($"file_sd: cannot read {path}: {e.Message}");
                continue;
            }
            groups.AddRange(fileGroups);
            AddEmptied(groups, path, fileGroups.Count);
            _groupsPerFile[path] = fileGroups.Count;
        }
        foreach (var path in _groupsPerFile.Keys.ToList())
        {
            if (!seen.Contains(path))
            {
                AddEmptied(groups, path, 0);
                _groupsPerFile.Remove(path);
            }
        }
        return groups;
    }

    private void AddEmptied(List<TargetGroup> groups, string path, int remaining)
    {
        var previous = _groupsPerFile.GetValueOrDefault(path);
        for (var i = remaining; i < previous; i++)
        {
            groups.Add(TargetGroup.Empty($"{path}:{i}"));
        }
    }

    private SortedSet<string> MatchingFiles()
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pattern in _config.Files)
        {
            var directory = Path.GetDirectoryName(pattern);
            var name = Path.GetFileName(pattern);
            if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                if (FileSdPattern.MatchesName(name, Path.GetFileName(file)))
                {
                    files.Add(file);
                }
            }
        }
        return files;
    }

    private List<FileSystemWatcher> Watch()
    {
        var watchers = new List<FileSystemWatcher>();
        foreach (var directory in _config.Files.Select(Path.GetDirectoryName).Distinct(StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
            {
                continue;
            }
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Changed += (_, _) => _changed.Pulse();
            watcher.Created += (_, _) => _changed.Pulse();
            watcher.Deleted += (_, _) => _changed.Pulse();
            watcher.Renamed += (_, _) => _changed.Pulse();
            watcher.EnableRaisingEvents = true;
            watchers.Add(watcher);
        }
        return watchers;
    }
}
