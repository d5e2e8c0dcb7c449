namespace Kansoku.Agent.Config;

/// <summary>A configuration error that names the place: file, line, column and, where there is one, the key.</summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(SourceLocation location, string? key, string message)
        : base(Format(location, key, message))
    {
        Location = location;
        Key = key;
        Reason = message;
    }

    public SourceLocation Location { get; }
    public string? Key { get; }
    public string Reason { get; }

    private static string Format(SourceLocation location, string? key, string message) =>
        key is null ? $"{location}: {message}" : $"{location}: {key}: {message}";
}
