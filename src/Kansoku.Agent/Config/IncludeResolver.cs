using System.IO.Enumeration;

namespace Kansoku.Agent.Config;

/// <summary>
/// Finds the files an include names (<c>@INCLUDE</c>, YAML <c>includes:</c>, <c>Parsers_File</c>). A relative name is looked up
/// in the including file's folder first and then in the main configuration's folder, which is where Fluent Bit looks, so
/// every Fluent Bit configuration resolves the same way. A name with <c>*</c> or <c>?</c> is a glob (any path segment may
/// hold wildcards; hidden files match only a pattern that starts with a dot, as in glob(3)); its matches are read in ordinal
/// order, and a glob that matches nothing is an error, as in Fluent Bit.
/// </summary>
internal static class IncludeResolver
{
    public static List<string> Resolve(string name, string includingFile, string mainDirectory, ConfigProperty source)
    {
        var bases = new List<string> { Path.GetDirectoryName(includingFile) ?? "" };
        if (!Path.IsPathRooted(name) && !SameDirectory(bases[0], mainDirectory))
        {
            bases.Add(mainDirectory);
        }
        var isGlob = name.AsSpan().IndexOfAny('*', '?') >= 0;
        foreach (var directory in bases)
        {
            var candidate = Path.Combine(directory, name);
            if (isGlob)
            {
                var matches = Glob(candidate);
                if (matches.Count > 0)
                {
                    return matches;
                }
            }
            else if (File.Exists(candidate))
            {
                return [candidate];
            }
            else if (Directory.Exists(candidate))
            {
                throw new ConfigException(source.Location, source.Key, $"'{candidate}' is a folder; to include every file in it, write '{Path.Join(name, "*")}'");
            }
        }
        var looked = string.Join(" and ", bases.Select(b => b.Length == 0 ? "." : b).Select(b => $"'{b}'"));
        throw new ConfigException(source.Location, source.Key, isGlob
            ? $"no file matches '{name}' (looked in {looked})"
            : $"file '{name}' not found (looked in {looked})");
    }

    private static bool SameDirectory(string a, string b)
    {
        try
        {
            return string.Equals(Path.GetFullPath(a.Length == 0 ? "." : a), Path.GetFullPath(b.Length == 0 ? "." : b), StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static List<string> Glob(string pattern)
    {
        var segments = pattern.Split('/');
        // A rooted pattern starts with an empty segment; the paths it produces must keep the leading slash.
        var current = new List<string> { segments[0].Length == 0 ? "/" : "" };
        var first = segments[0].Length == 0 ? 1 : 0;
        for (var i = first; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (segment.Length == 0)
            {
                continue;
            }
            var next = new List<string>();
            foreach (var directory in current)
            {
                if (segment.AsSpan().IndexOfAny('*', '?') < 0)
                {
                    var path = Path.Join(directory, segment);
                    if (last ? File.Exists(path) : Directory.Exists(path))
                    {
                        next.Add(path);
                    }
                    continue;
                }
                next.AddRange(Matching(directory, segment, last));
            }
            current = next;
        }
        current.Sort(StringComparer.Ordinal);
        return current;
    }

    private static List<string> Matching(string directory, string segment, bool files)
    {
        var found = new List<string>();
        try
        {
            foreach (var entry in new DirectoryInfo(directory.Length == 0 ? "." : directory).EnumerateFileSystemInfos())
            {
                if (entry.Name.StartsWith('.') && !segment.StartsWith('.'))
                {
                    continue;
                }
                if ((entry is FileInfo) == files && FileSystemName.MatchesSimpleExpression(segment, entry.Name, ignoreCase: false))
                {
                    found.Add(Path.Join(directory, entry.Name));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            // glob(3) without GLOB_ERR skips folders it cannot read; so do we.
        }
        return found;
    }
}
