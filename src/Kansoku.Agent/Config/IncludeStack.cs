namespace Kansoku.Agent.Config;

/// <summary>
/// The files of one document being read, to refuse include cycles and files read twice. Fluent Bit refuses both
/// ("Read twice"): reading a file again would define its inputs and outputs twice.
/// </summary>
internal sealed class IncludeStack
{
    private readonly List<(string FullPath, string DisplayPath)> _open = [];
    private readonly Dictionary<string, string> _read = new(StringComparer.Ordinal);

    /// <summary>Starts reading <paramref name="path"/>; <paramref name="source"/> is the include that named it (null for the document itself).</summary>
    public void Enter(string path, ConfigProperty? source)
    {
        var fullPath = FullPath(path);
        if (source is not null)
        {
            var cycleStart = _open.FindIndex(f => f.FullPath == fullPath);
            if (cycleStart >= 0)
            {
                var chain = _open.Skip(cycleStart).Select(f => f.DisplayPath).Append(path);
                throw new ConfigException(source.Location, source.Key, $"include cycle: {string.Join(" -> ", chain)}");
            }
            if (_read.TryGetValue(fullPath, out var firstTime))
            {
                throw new ConfigException(source.Location, source.Key, $"'{path}' is already included ({firstTime}); a file is read once");
            }
        }
        _read[fullPath] = source is null ? path : source.Location.ToString();
        _open.Add((fullPath, path));
    }

    public void Exit() => _open.RemoveAt(_open.Count - 1);

    private static string FullPath(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            return new FileInfo(fullPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? fullPath;
        }
        catch (IOException)
        {
            return fullPath;
        }
    }
}
