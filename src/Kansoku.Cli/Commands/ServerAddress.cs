namespace Kansoku.Cli.Commands;

/// <summary>Which Kansoku server the client commands (logs, query) talk to: --server, else $KANSOKU_URL, else the local default.</summary>
internal static class ServerAddress
{
    public const string Default = "http://127.0.0.1:3100";

    public const string Description = $"Kansoku's server (default: $KANSOKU_URL, else {Default}).";

    public static string Resolve(string? flag) =>
        flag ?? (Environment.GetEnvironmentVariable("KANSOKU_URL") is { Length: > 0 } fromEnvironment ? fromEnvironment : Default);
}
