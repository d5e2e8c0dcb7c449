namespace Kansoku.Agent.Pipeline;

/// <summary>
/// The agent's own diagnostic log (not the records it ships): one line per event to a writer, stderr by default.
/// Thread-safe. Tests pass a writer they can read.
/// </summary>
internal sealed class AgentLog : Kansoku.Kubernetes.IWatchLog
{
    private readonly TextWriter _writer;
    private readonly Lock _lock = new();

    public AgentLog(TextWriter writer, bool debug = false)
    {
        _writer = writer;
        IsDebugEnabled = debug;
    }

    public static AgentLog Null { get; } = new(TextWriter.Null);

    public bool IsDebugEnabled { get; }

    public void Debug(string message)
    {
        if (IsDebugEnabled)
        {
            Write("debug", message);
        }
    }

    public void Info(string message) => Write("info", message);
    public void Warn(string message) => Write("warn", message);
    public void Error(string message) => Write("error", message);

    private void Write(string level, string message)
    {
        lock (_lock)
        {
            _writer.Write('[');
            _writer.Write(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            _writer.Write("] [");
            _writer.Write(level);
            _writer.Write("] ");
            _writer.WriteLine(message);
            _writer.Flush();
        }
    }
}
