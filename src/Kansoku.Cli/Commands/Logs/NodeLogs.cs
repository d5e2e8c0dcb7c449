namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// <c>kansoku logs --dir /var/log/pods</c>: a node's container logs read straight from the kubelet's files, no server.
/// The selection is the same as against the server; <c>--previous</c> is exact here, because the file names carry the
/// restart count.
/// </summary>
internal sealed class NodeLogs : IDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The labels a path gives; a matcher on any other could only ever compare against "".</summary>
    private static readonly string[] s_pathLabels = ["namespace", "pod", "container", "stream"];

    private readonly string _podsDirectory;
    private readonly LinePrinter _printer;
    private readonly TimeProvider _time;
    /// <summary>By container directory: the readers, and the directories that are not wanted.</summary>
    private readonly Dictionary<string, ContainerLogReader> _readers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);

    public NodeLogs(string directory, LinePrinter printer, TimeProvider time)
    {
        _podsDirectory = PodsDirectory(directory);
        _printer = printer;
        _time = time;
    }

    public async Task RunAsync(LogsRequest request, CancellationToken stop)
    {
        Validate(request);
        Discover(request);
        if (_readers.Count == 0 && !request.Follow)
        {
            throw new LogsException(request.Previous
                ? $"--previous: no selected container under {_podsDirectory} has a previous instance"
                : $"no container logs under {_podsDirectory} match {request.Selection.ToLogQL()}");
        }
        PrintHistory(request.Tail);
        if (!request.Follow)
        {
            return;
        }
        var fresh = new List<LogLine>();
        while (true)
        {
            await Task.Delay(s_pollInterval, _time, stop);
            Discover(request);
            fresh.Clear();
            List<string>? gone = null;
            foreach (var (directory, reader) in _readers)
            {
                while (reader.TryRead(out var line))
                {
                    fresh.Add(line);
                }
                if (reader.Gone)
                {
                    (gone ??= []).Add(directory);
                }
            }
            foreach (var directory in gone ?? [])
            {
                _readers.Remove(directory, out var reader);
                reader!.Dispose();
            }
            // Stable: lines of one container at the same nanosecond keep their order.
            foreach (var line in fresh.OrderBy(l => l.TimeUnixNano))
            {
                _printer.Write(line);
            }
            _printer.Flush();
        }
    }

    /// <summary>Merges the containers' lines by time (each file is in time order) and prints them, or their last N.</summary>
    private void PrintHistory(int? tail)
    {
        var readers = _readers.Values.ToArray();
        var heads = new LogLine[readers.Length];
        var queue = new PriorityQueue<int, (long Time, int Reader)>();
        for (var i = 0; i < readers.Length; i++)
        {
            if (readers[i].TryRead(out heads[i]))
            {
                queue.Enqueue(i, (heads[i].TimeUnixNano, i));
            }
        }
        var last = tail is { } n ? new Queue<LogLine>(Math.Min(n, 4096)) : null;
        while (queue.TryDequeue(out var i, out _))
        {
            if (last is null)
            {
                _printer.Write(heads[i]);
            }
            else if (tail > 0)
            {
                if (last.Count == tail)
                {
                    last.Dequeue();
                }
                last.Enqueue(heads[i]);
            }
            if (readers[i].TryRead(out heads[i]))
            {
                queue.Enqueue(i, (heads[i].TimeUnixNano, i));
            }
        }
        foreach (var line in last ?? [])
        {
            _printer.Write(line);
        }
        _printer.Flush();
    }

    /// <summary>Opens a reader for each wanted container directory not seen before.</summary>
    private void Discover(LogsRequest request)
    {
        foreach (var podDirectory in EnumerateDirectories(_podsDirectory))
        {
            foreach (var containerDirectory in EnumerateDirectories(podDirectory))
            {
                if (_readers.ContainsKey(containerDirectory) || _skipped.Contains(containerDirectory))
                {
                    continue;
                }
                // A directory without files yet (the container is starting) is looked at again next time.
                if (ContainerLogFiles.Read(containerDirectory) is not { } files)
                {
                    continue;
                }
                var restart = request.Previous ? files.Previous : files.Current;
                if (restart is not { } instance)
                {
                    _skipped.Add(containerDirectory);
                    continue;
                }
                var reader = new ContainerLogReader(files, instance, request.Selection, request.SinceUnixNano, request.Follow);
                if (reader.Selected)
                {
                    _readers[containerDirectory] = reader;
                }
                else
                {
                    reader.Dispose();
                    _skipped.Add(containerDirectory);
                }
            }
        }
    }

    private static IEnumerable<string> EnumerateDirectories(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory).Order(StringComparer.Ordinal);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static void Validate(LogsRequest request)
    {
        if (request.Selection.RawQuery is not null)
        {
            throw LogsException.Usage("--query needs the server: with --dir, select with POD, -n, -c, -l and --grep");
        }
        foreach (var matcher in request.Selection.Matchers)
        {
            if (!s_pathLabels.Contains(matcher.Name, StringComparer.Ordinal))
            {
                throw LogsException.Usage(
                    $"-l {matcher}: with --dir only the labels a log file's path gives are known ({string.Join(", ", s_pathLabels)})");
            }
        }
    }

    /// <summary>The kubelet's <c>pods</c> directory: <paramref name="directory"/> itself, or its <c>pods</c> child (for /var/log).</summary>
    private static string PodsDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (string.Equals(Path.GetFileName(Path.TrimEndingDirectorySeparator(full)), "pods", StringComparison.Ordinal) && Directory.Exists(full))
        {
            return Path.TrimEndingDirectorySeparator(full);
        }
        var child = Path.Combine(full, "pods");
        if (Directory.Exists(child))
        {
            return child;
        }
        throw LogsException.Usage($"--dir: {directory} is not the kubelet's pods directory (/var/log/pods: <namespace>_<pod>_<uid>/<container>/<N>.log)");
    }

    public void Dispose()
    {
        foreach (var reader in _readers.Values)
        {
            reader.Dispose();
        }
    }
}
