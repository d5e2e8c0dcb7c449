namespace Kansoku.Agent.Config;

internal static class ConfigFiles
{
    /// <summary>Reads a configuration file; any failure becomes a <see cref="ConfigException"/> at the include that named it,
    /// or at the file itself for the main file.</summary>
    public static string ReadAllText(string path, ConfigProperty? source)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException
            or System.Security.SecurityException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot read it: {e.Message}";
            if (source is null)
            {
                throw new ConfigException(new SourceLocation(path, 0, 0), null, reason);
            }
            throw new ConfigException(source.Location, source.Key, $"'{path}': {reason}");
        }
    }
}
