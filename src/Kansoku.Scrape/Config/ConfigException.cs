namespace Kansoku.Scrape.Config;

/// <summary>A configuration error naming the file, line, column and, where there is one, the key's path.</summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(string file, int line, int column, string? key, string reason)
        : base(key is null ? $"{file}:{line}:{column}: {reason}" : $"{file}:{line}:{column}: {key}: {reason}")
    {
        File = file;
        Line = line;
        Column = column;
        Key = key;
        Reason = reason;
    }

    public ConfigException()
    {
        File = "";
        Reason = "";
    }

    public ConfigException(string message) : base(message)
    {
        File = "";
        Reason = message;
    }

    public ConfigException(string message, Exception innerException) : base(message, innerException)
    {
        File = "";
        Reason = message;
    }

    public string File { get; }
    public int Line { get; }
    public int Column { get; }
    public string? Key { get; }
    /// <summary>The message without the position, worded as Prometheus words it where it has the same check.</summary>
    public string Reason { get; }
}
