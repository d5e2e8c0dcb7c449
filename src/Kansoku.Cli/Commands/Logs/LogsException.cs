namespace Kansoku.Cli.Commands.Logs;

/// <summary>A failure <c>kansoku logs</c> reports in one line and ends with: bad flags (exit 2) or a failed read (exit 1).</summary>
internal sealed class LogsException : Exception
{
    public const int UsageExitCode = 2;
    public const int FailureExitCode = 1;

    public LogsException()
        : this("failed", FailureExitCode)
    {
    }

    public LogsException(string message)
        : this(message, FailureExitCode)
    {
    }

    public LogsException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = FailureExitCode;
    }

    public LogsException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    /// <summary>The server could not be reached or failed (5xx): worth another try when following.</summary>
    public bool Transient { get; init; }

    public static LogsException Usage(string message) => new(message, UsageExitCode);
}
