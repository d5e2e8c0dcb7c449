using Kansoku.Kubernetes;

namespace Kansoku.Scrape.Discovery.Kubernetes;

/// <summary>Hands the watches' warnings to the discovery's error callback; progress messages are dropped.</summary>
internal sealed class WatchLog : IWatchLog
{
    private readonly Action<string> _warn;

    public WatchLog(Action<string> warn)
    {
        _warn = warn;
    }

    public void Debug(string message)
    {
    }

    public void Info(string message)
    {
    }

    public void Warn(string message) => _warn(message);
}
