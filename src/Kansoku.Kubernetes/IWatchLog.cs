namespace Kansoku.Kubernetes;

/// <summary>Where <see cref="ResourceWatch{TItem, TList}"/> reports what happens to its list and watch requests.</summary>
internal interface IWatchLog
{
    void Debug(string message);
    void Info(string message);
    void Warn(string message);
}
