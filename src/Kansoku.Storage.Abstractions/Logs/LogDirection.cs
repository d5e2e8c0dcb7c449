namespace Kansoku.Storage.Logs;

/// <summary>Time order of a log query's results, as Loki's <c>direction</c>.</summary>
public enum LogDirection
{
    Forward,
    Backward,
}
