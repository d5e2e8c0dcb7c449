namespace Kansoku.Scrape.Discovery.File;

/// <summary>
/// Which paths file_sd_configs accepts, as Prometheus' <c>^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$</c>:
/// at most one <c>*</c>, in the last path element, and a JSON or YAML extension.
/// </summary>
internal static class FileSdPattern
{
    private static readonly string[] s_extensions = [".json", ".yml", ".yaml", ".JSON", ".YML", ".YAML"];

    public static bool IsValid(string path)
    {
        var extension = Array.Find(s_extensions, e => path.EndsWith(e, StringComparison.Ordinal));
        if (extension is null)
        {
            return false;
        }
        var star = path.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return true;
        }
        var afterStar = path.AsSpan(star + 1, path.Length - star - 1 - extension.Length + 1);
        return !afterStar.Contains('*') && !afterStar.Contains('/');
    }

    /// <summary>Whether <paramref name="fileName"/> matches the last element of a pattern, where <c>*</c> matches any run of characters.</summary>
    public static bool MatchesName(string pattern, string fileName)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, fileName, StringComparison.Ordinal);
        }
        var prefix = pattern.AsSpan(0, star);
        var suffix = pattern.AsSpan(star + 1);
        return fileName.Length >= prefix.Length + suffix.Length
            && fileName.AsSpan().StartsWith(prefix, StringComparison.Ordinal)
            && fileName.AsSpan().EndsWith(suffix, StringComparison.Ordinal);
    }
}
