using System.IO.Enumeration;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>
/// glob(3)-style expansion of a path with <c>*</c> and <c>?</c> in any segment (<c>/var/log/pods/*/*/*.log</c>).
/// Symlinks are followed for files (the kubelet's /var/log/containers entries are symlinks).
/// </summary>
internal static class PathGlob
{
    public static void Expand(string pattern, List<string> results)
    {
        var full = Path.GetFullPath(pattern);
        var segments = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        Walk("/", segments, 0, results);
    }

    public static bool Matches(string pattern, string path)
    {
        var full = Path.GetFullPath(pattern);
        return FileSystemName.MatchesSimpleExpression(full, path, ignoreCase: false) && CountSlashes(full) == CountSlashes(path);
    }

    private static int CountSlashes(string text) => text.AsSpan().Count('/');

    private static void Walk(string directory, string[] segments, int index, List<string> results)
    {
        var segment = segments[index];
        var last = index == segments.Length - 1;
        if (segment.AsSpan().IndexOfAny('*', '?') < 0)
        {
            var next = Path.Combine(directory, segment);
            if (last)
            {
                if (File.Exists(next))
                {
                    results.Add(next);
                }
            }
            else if (Directory.Exists(next))
            {
                Walk(next, segments, index + 1, results);
            }
            return;
        }
        IEnumerable<string> entries;
        try
        {
            entries = last ? Directory.EnumerateFiles(directory) : Directory.EnumerateDirectories(directory);
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }
        var matched = new List<string>();
        foreach (var entry in entries)
        {
            if (FileSystemName.MatchesSimpleExpression(segment, Path.GetFileName(entry), ignoreCase: false))
            {
                matched.Add(entry);
            }
        }
        matched.Sort(StringComparer.Ordinal);
        foreach (var entry in matched)
        {
            if (last)
            {
                results.Add(entry);
            }
            else
            {
                Walk(entry, segments, index + 1, results);
            }
        }
    }
}
